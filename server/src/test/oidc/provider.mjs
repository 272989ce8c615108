// A real OpenID provider for OidcSignInTest: the npm package oidc-provider (installed by ./baton test into
// .baton/oidc-provider), one static client, the accounts (with a groups claim) read from ACCOUNTS_FILE at each
// sign-in so the test can change someone's groups, and oidc-provider's own login and consent forms.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.CLIENT_ID,
    client_secret: process.env.CLIENT_SECRET,
    redirect_uris: [process.env.REDIRECT_URI],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  // every authorization request must carry a PKCE challenge, so a client that stops sending one fails the test
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    profile: ['preferred_username', 'name'],
    email: ['email'],
    groups: ['groups'],
  },
  // the scopes' claims go into the ID token, as Keycloak's and Okta's do when configured so
  conformIdTokenClaims: false,
  cookies: { keys: ['baton-test-only'] },
  features: { devInteractions: { enabled: true } },
  async findAccount(_ctx, id) {
    const accounts = JSON.parse(readFileSync(process.env.ACCOUNTS_FILE, 'utf8'));
    const account = accounts[id];
    if (!account) {
      return undefined;
    }
    return { accountId: id, async claims() { return { sub: id, ...account }; } };
  },
});
provider.on('server_error', (_ctx, err) => console.error('server_error', err));

provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
