import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PositionMemory } from './log-position';

describe('the CLI echoes the highest log position it was answered with (Accord-Min-Position)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'accord-positions-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('sends nothing before a position is seen, then the highest, per server, across invocations', () => {
    const file = join(dir, 'accord', 'positions.json');
    const first = new PositionMemory(file);
    expect(first.headers('http://a')).toEqual({});
    first.note('http://a', '17');
    first.note('http://a', '9');
    first.note('http://b', '3');
    first.note('http://a', 'garbage');
    first.note('http://a', null);
    expect(first.headers('http://a')).toEqual({ 'accord-min-position': '17' });
    // A later invocation reads what the earlier one saw.
    const later = new PositionMemory(file);
    expect(later.headers('http://a')).toEqual({ 'accord-min-position': '17' });
    expect(later.headers('http://b')).toEqual({ 'accord-min-position': '3' });
  });

  it('a file it cannot write costs the memory across invocations, never the command', () => {
    // A directory that cannot be made: its parent is a file.
    writeFileSync(join(dir, 'not-a-dir'), '');
    const memory = new PositionMemory(join(dir, 'not-a-dir', 'accord', 'positions.json'));
    memory.note('http://a', '5');
    expect(memory.headers('http://a')).toEqual({ 'accord-min-position': '5' });
  });
});
