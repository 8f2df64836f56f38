// An OpenID Connect provider for the tests (panva's oidc-provider), on 127.0.0.1:$PORT.
// Clients register themselves (POST /reg), since each test serves the archive on its own port.
// The sign-in page takes any login name: the people below get their claims, anyone else
// a plain account at example.org.
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;

const PEOPLE = {
  cora: { name: 'Cora Curator', groups: ['staff', 'archive-curators'] },
  tomas: { name: 'Tomás Technician', groups: ['staff'] },
  // An address the provider has not checked: it must not take over an account that has it.
  unverified: { name: 'Una Verified', groups: [], email_verified: false },
};

function claimsOf(login) {
  const person = PEOPLE[login] ?? { name: login, groups: [] };
  return {
    sub: login,
    name: person.name,
    email: `${login}@example.org`,
    email_verified: person.email_verified ?? true,
    groups: person.groups,
  };
}

const provider = new Provider(issuer, {
  clients: [],
  features: {
    devInteractions: { enabled: true },
    registration: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    // Entra ID and Keycloak put groups in the ID token; here they come with the profile.
    profile: ['name', 'groups'],
  },
  // The claims go in the ID token itself, as the archive reads them from there.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  cookies: { keys: ['archive-tests-only'] },
  // The sign-in page makes the login name the account's id, the `sub` of its tokens.
  async findAccount(ctx, id) {
    return { accountId: id, claims: async () => claimsOf(id) };
  },
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`listening on ${issuer}`);
});
