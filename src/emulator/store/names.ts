import type { Random } from '../random.js';

// Heroku-style generated names: `adjective-noun-12345` for apps,
// `postgresql-adjective-12345` for add-ons.
const ADJECTIVES = [
  'agile', 'ancient', 'autumn', 'billowing', 'blooming', 'boiling', 'calm', 'cold', 'crisp', 'damp',
  'desolate', 'floating', 'fluffy', 'frozen', 'gentle', 'glacial', 'guarded', 'hidden', 'lit', 'morning',
  'murmuring', 'obscure', 'polar', 'quiet', 'radiant', 'rocky', 'secret', 'shielded', 'shrouded', 'silent',
  'sleepy', 'sparkling', 'stark', 'still', 'sunny', 'tranquil', 'vast', 'warm', 'whispering', 'young',
] as const;

const NOUNS = [
  'badlands', 'bastion', 'beach', 'brook', 'caverns', 'cliffs', 'coast', 'cove', 'dawn', 'depths',
  'dusk', 'falls', 'forest', 'garden', 'harbor', 'headland', 'hollows', 'island', 'lake', 'meadow',
  'mesa', 'mountain', 'ocean', 'peak', 'plains', 'ravine', 'reef', 'retreat', 'ridge', 'river',
  'sands', 'savannah', 'scrubland', 'sea', 'shore', 'springs', 'stream', 'thicket', 'tundra', 'waters',
] as const;

/** Colours Heroku uses for extra attachments (`HEROKU_POSTGRESQL_AMBER`). */
export const COLOURS = [
  'AMBER', 'AQUA', 'BLACK', 'BLUE', 'BRONZE', 'BROWN', 'CHARCOAL', 'COBALT', 'COPPER', 'CRIMSON',
  'CYAN', 'GOLD', 'GRAY', 'GREEN', 'IVORY', 'JADE', 'MAROON', 'MAUVE', 'NAVY', 'OLIVE',
  'ONYX', 'ORANGE', 'PINK', 'PUCE', 'PURPLE', 'RED', 'ROSE', 'SILVER', 'TEAL', 'WHITE', 'YELLOW',
] as const;

export class NameGenerator {
  constructor(private readonly rng: Random) {}

  /** Tries until `taken` says no; widens the number space if a pool is crowded. */
  private unique(make: (digits: number) => string, taken: (name: string) => boolean): string {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const name = make(attempt < 100 ? 5 : 8);
      if (!taken(name)) return name;
    }
    throw new Error('could not generate a free name');
  }

  private number(digits: number): string {
    return String(this.rng.int(10 ** digits)).padStart(digits, '0');
  }

  app(taken: (name: string) => boolean): string {
    return this.unique((d) => `${this.rng.pick(ADJECTIVES)}-${this.rng.pick(NOUNS)}-${this.number(d)}`, taken);
  }

  addon(prefix: string, taken: (name: string) => boolean): string {
    return this.unique((d) => `${prefix}-${this.rng.pick(ADJECTIVES)}-${this.number(d)}`, taken);
  }

  /** A DNS target like Heroku's `fathomless-eel-x1y2z3.herokudns.com`. */
  cname(): string {
    return `${this.rng.pick(ADJECTIVES)}-${this.rng.pick(NOUNS)}-${this.rng.hex(12)}.herokudns.com`;
  }

  secret(chars: number): string {
    return this.rng.hex(chars);
  }

  int(n: number): number {
    return this.rng.int(n);
  }
}
