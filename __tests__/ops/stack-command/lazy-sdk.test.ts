// plan, deploy and drift load the auth0 SDK and the local tenant only when they need them (recovery of a
// plan that creates something; the local environment): loading either costs every run its start-up.
const LAZY = ['auth0', '@auth0-mfa/local-tenant'];

describe.each(['plan', 'deploy', 'drift'])('ops/%s/main.ts', (command) => {
  it('loads neither the auth0 SDK nor the local tenant when imported', () => {
    const loaded: string[] = [];
    jest.isolateModules(() => {
      for (const name of LAZY) {
        jest.doMock(name, () => {
          loaded.push(name);
          return {};
        });
      }
      require(`../../../ops/${command}/main`);
    });
    expect(loaded).toEqual([]);
  });
});
