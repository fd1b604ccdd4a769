import { describe, expect, it } from 'vitest';
import {
  addTags,
  folderAncestors,
  folderTree,
  formatWhen,
  normaliseFolder,
  typedPaths,
} from './note-helpers';

describe('folderTree', () => {
  it('nests folders by their paths, adds missing parents and sorts by name', () => {
    const tree = folderTree(['Physics/Waves', 'Maths', 'Physics/Mechanics/Energy', '', 'physics 2']);
    expect(tree.map((node) => node.path)).toEqual(['Maths', 'Physics', 'physics 2']);
    const physics = tree[1]!;
    expect(physics.children.map((node) => node.name)).toEqual(['Mechanics', 'Waves']);
    expect(physics.children[0]!.children[0]).toEqual({
      path: 'Physics/Mechanics/Energy',
      name: 'Energy',
      children: [],
    });
  });
});

describe('normaliseFolder', () => {
  it('takes a typed folder to the contract form', () => {
    expect(normaliseFolder(' / Physics // Mechanics/ ')).toBe('Physics/Mechanics');
    expect(normaliseFolder('Lectures\\Week 1')).toBe('Lectures/Week 1');
    expect(normaliseFolder('  ')).toBe('');
  });

  it('lists a folder with each one above it', () => {
    expect(folderAncestors('A/B/C')).toEqual(['A', 'A/B', 'A/B/C']);
    expect(folderAncestors('')).toEqual([]);
  });
});

describe('addTags', () => {
  it('adds comma-separated tags without a hash, empty ones or repeats', () => {
    expect(addTags(['physics'], ' #Physics, waves,, #exam ')).toEqual(['physics', 'waves', 'exam']);
  });
});

describe('formatWhen', () => {
  const now = new Date(2025, 4, 10, 15, 0).getTime();
  it('reads as short as it can', () => {
    expect(formatWhen(now - 10_000, now)).toBe('just now');
    expect(formatWhen(now - 5 * 60_000, now)).toBe('5 min ago');
    expect(formatWhen(new Date(2025, 4, 9, 9, 0).getTime(), now)).toBe('Yesterday');
    expect(formatWhen(new Date(2023, 2, 3).getTime(), now)).toMatch(/2023/);
  });
});

describe('typedPaths', () => {
  it('reads one path a line', () => {
    expect(typedPaths('/a/b.md\n\n  /c \n/a/b.md\r\n')).toEqual(['/a/b.md', '/c']);
  });
});
