// A user's MFA in the Management API, as the SDK documents GET /users/{id}/authentication-methods:
// a plain array by default, Auth0's {start, limit, total, authenticators} with include_totals, paged.
import { useTestTenant } from '../support/tenant';

let methodsPath: string;
const t = useTestTenant({
  setup: async ({ client }) => {
    const userId = await client.createUser('methods@example.com');
    methodsPath = `/api/v2/users/${encodeURIComponent(userId)}/authentication-methods`;
    // The one way to enroll without a login: a recovery code.
    const regenerated = await client.post(
      `/api/v2/users/${encodeURIComponent(userId)}/recovery-code-regeneration`,
    );
    expect(regenerated.status).toBe(200);
  },
});

it('answers a plain array without include_totals', async () => {
  const reply = await t.client.get(methodsPath);
  expect(reply.status).toBe(200);
  expect(reply.body).toEqual([expect.objectContaining({ type: 'recovery-code', confirmed: true })]);
});

it('answers the totals envelope with include_totals, paged by page and per_page', async () => {
  const first = await t.client.get(`${methodsPath}?include_totals=true&per_page=1`);
  expect(first.body).toEqual({
    start: 0,
    limit: 1,
    total: 1,
    authenticators: [expect.objectContaining({ type: 'recovery-code' })],
  });
  const second = await t.client.get(`${methodsPath}?include_totals=true&per_page=1&page=1`);
  expect(second.body).toEqual({ start: 1, limit: 1, total: 1, authenticators: [] });
  expect((await t.client.get(`${methodsPath}?page=1`)).body).toEqual([]);
});

it("refuses a bad paging value in Auth0's query wording", async () => {
  const reply = await t.client.get(`${methodsPath}?include_totals=yes`);
  expect(reply.status).toBe(400);
  expect(reply.body.errorCode).toBe('invalid_query_string');
});
