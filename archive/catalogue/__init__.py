"""The pages where photos and people meet their consent, licences and downloads: upload,
review, the photo page and the person page."""
