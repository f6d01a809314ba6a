// The UserDirectory the tool works on, through the official auth0 SDK (7.x) and Auth0's documented shapes.
import type { ManagementClient } from 'auth0';
import type { Auth0User, NamedGroup, UserDirectory } from './users';

const notFound = (error: unknown) => (error as { statusCode?: number }).statusCode === 404;

/** Auth0's checkpoint pagination (`from`/`take`, answered with `next`), as role users and members use. */
async function allCheckpointPages<T>(
  load: (from: string | undefined) => Promise<{ items: T[]; next?: string }>,
): Promise<T[]> {
  const all: T[] = [];
  let from: string | undefined;
  do {
    const page = await load(from);
    all.push(...page.items);
    from = page.items.length > 0 ? page.next : undefined;
  } while (from);
  return all;
}

const PAGE = 100;

export function sdkDirectory(client: ManagementClient): UserDirectory {
  return {
    async getById(userId) {
      try {
        return (await client.users.get(userId)) as Auth0User;
      } catch (error) {
        if (notFound(error)) return undefined;
        throw error;
      }
    },
    async getByEmail(email) {
      return (await client.users.listUsersByEmail({ email })) as Auth0User[];
    },
    async search(query, page, perPage) {
      const result = await client.users.list({
        q: query,
        search_engine: 'v3',
        page,
        per_page: perPage,
        include_totals: true,
      });
      const { response } = result as unknown as { response: { users?: Auth0User[]; total?: number } };
      const users = response.users ?? [];
      return { users, total: response.total ?? users.length };
    },
    async update(userId, patch) {
      await client.users.update(userId, patch);
    },
    async findRoles(name) {
      const roles: NamedGroup[] = [];
      for (let page = 0; ; page++) {
        const result = await client.roles.list({
          name_filter: name,
          page,
          per_page: PAGE,
          include_totals: true,
        });
        const found = result.data.map((role) => ({ id: role.id ?? '', name: role.name ?? '' }));
        roles.push(...found);
        if (found.length < PAGE || roles.length >= result.response.total) return roles;
      }
    },
    async roleMembers(roleId) {
      const users = await allCheckpointPages(async (from) => {
        const { response } = await client.roles.users.list(roleId, { take: PAGE, ...(from ? { from } : {}) });
        return { items: response.users ?? [], next: response.next };
      });
      return users.map((user) => user.user_id ?? '').filter(Boolean);
    },
    async findOrganization(name) {
      try {
        const organization = await client.organizations.getByName(name);
        return { id: organization.id ?? '', name: organization.name ?? name };
      } catch (error) {
        if (notFound(error)) return undefined;
        throw error;
      }
    },
    async organizationMembers(organizationId) {
      const members = await allCheckpointPages(async (from) => {
        const { response } = await client.organizations.members.list(organizationId, {
          take: PAGE,
          ...(from ? { from } : {}),
        });
        return { items: response.members ?? [], next: response.next };
      });
      return members.map((member) => member.user_id ?? '').filter(Boolean);
    },
    async authenticationMethods(userId) {
      const methods: Array<{ id: string; type: string }> = [];
      for (let page = 0; ; page++) {
        const result = await client.users.authenticationMethods.list(userId, {
          page,
          per_page: PAGE,
          include_totals: true,
        });
        // Auth0 answers {authenticators, total} with include_totals; a bare array is read as the whole list.
        const raw: unknown = result.response;
        const items = Array.isArray(raw) ? (raw as typeof result.data) : result.data;
        methods.push(...items.map((method) => ({ id: method.id, type: String(method.type) })));
        const total = Array.isArray(raw) ? items.length : (result.response.total ?? 0);
        if (Array.isArray(raw) || items.length < PAGE || methods.length >= total) return methods;
      }
    },
    async deleteAuthenticationMethods(userId) {
      await client.users.authenticationMethods.deleteAll(userId);
    },
    async invalidateRememberBrowser(userId) {
      await client.users.multifactor.invalidateRememberBrowser(userId);
    },
  };
}
