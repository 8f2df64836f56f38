"""The EDI representation report: who is shown in the archive, in suppressed aggregates."""
