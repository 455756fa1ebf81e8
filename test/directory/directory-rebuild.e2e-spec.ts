import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateOrganisationKey } from '@accord/crypto';
import { EVENT_STORE, EventStore } from '@accord/event-store';
import { READ_DB, ReadYourWrites } from '@accord/platform';
import {
  DIRECTORY_TABLES,
  directoryProjection,
  openReadDb,
  ReadDb,
  rebuildReadModels,
} from '@accord/projections';
import { dumpTables } from '../../libs/projections/src/testing/projection-test-kit';
import { World } from '../authz/world';

/** Read models are disposable: replaying the log from zero must give back exactly what the live projector built. */
describe('directory read model rebuild', () => {
  let world: World;
  let scratch: string;
  beforeAll(async () => {
    world = await World.build();
    scratch = mkdtempSync(join(tmpdir(), 'accord-directory-rebuild-'));
  });
  afterAll(async () => {
    await world?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('a rebuild from zero yields the same organisations, keys, users and tokens as the live build', async () => {
    // Every event type the directory handles, so each apply path is compared.
    const org = world.orgs.own;
    const igLead = world.client(org.users['ig-lead'].token);
    const key = await generateOrganisationKey({ name: 'Rebuild Org', email: 'ig@rebuild.test.example' });
    await igLead.ok('POST', `/organisations/${org.id}/keys`, 201, { body: { publicKey: key.publicKey } });
    const second = await generateOrganisationKey({ name: 'Rebuild Org 2', email: 'ig@rebuild.test.example' });
    await igLead.ok('POST', `/organisations/${org.id}/keys`, 201, { body: { publicKey: second.publicKey } });
    await igLead.ok('DELETE', `/organisations/${org.id}/keys/${key.fingerprint}`, 200, {
      body: { reason: 'rotation' },
    });
    const user = await world.enrol(org.id, 'practitioner');
    await igLead.ok('POST', `/users/${user.userId}/tokens`, 201);
    await igLead.ok('DELETE', `/users/${user.userId}/tokens/${user.tokenId}`, 200);
    await igLead.ok('POST', `/users/${user.userId}/suspension`, 200, { body: { reason: 'leave' } });
    await igLead.ok('DELETE', `/users/${user.userId}/suspension`, 200, { body: { reason: 'back' } });

    const store = world.api.app.get<EventStore>(EVENT_STORE);
    await world.api.app.get(ReadYourWrites).catchUp();
    const live = dumpTables(world.api.app.get<ReadDb>(READ_DB), DIRECTORY_TABLES);
    expect(live['directory_keys']).toHaveLength(2);
    expect(live['directory_tokens']!.length).toBeGreaterThan(8);

    const file = join(scratch, 'rebuilt.db');
    await rebuildReadModels({ store, db: file, projections: [directoryProjection] });
    const rebuilt = openReadDb(file);
    try {
      expect(dumpTables(rebuilt, DIRECTORY_TABLES)).toEqual(live);
    } finally {
      rebuilt.close();
    }
  });
});
