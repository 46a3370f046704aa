// EDN for the console: a reader for what Hike's routes answer and a printer for what they take.
// Integers stay exact (BigInt past 2^53), floats and decimals keep their text, tagged values
// (#inst, #uuid, #datahike/DB …) keep their tag, so whatever is read prints back as it came.

export class Keyword {
  constructor(name) { this.name = name; }
}

export class Sym {
  constructor(name) { this.name = name; }
}

/** A float or decimal, kept as its text so that printing it back loses nothing. */
export class Float {
  constructor(text) { this.text = text; }
}

export class Char {
  constructor(text) { this.text = text; }
}

export class List {
  constructor(items) { this.items = items; }
}

export class EdnSet {
  constructor(items) { this.items = items; }
}

export class EdnMap {
  constructor(entries) { this.entries = entries; }

  /** The value at key, compared as printed (keywords by identity first, as they are interned). */
  get(key) {
    for (const [k, v] of this.entries) if (k === key) return v;
    const printed = print(key);
    for (const [k, v] of this.entries) if (print(k) === printed) return v;
    return undefined;
  }

  /** A copy with key set to value. */
  assoc(key, value) {
    const printed = print(key);
    const entries = this.entries.filter(([k]) => print(k) !== printed);
    entries.push([key, value]);
    return new EdnMap(entries);
  }
}

export class Tagged {
  constructor(tag, value) { this.tag = tag; this.value = value; }
}

/** EDN text the user typed, sent as it is. */
export class Raw {
  constructor(text) { this.text = text; }
}

const keywords = new Map();

/** The keyword named name, one instance per name. */
export function kw(name) {
  let k = keywords.get(name);
  if (!k) keywords.set(name, k = new Keyword(name));
  return k;
}

export class EdnError extends Error {}

const DELIMITERS = new Set([' ', '\t', '\n', '\r', '\f', ',', '(', ')', '[', ']', '{', '}', '"', ';']);
const ESCAPES = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\' };
const CHARS = { newline: '\n', space: ' ', tab: '\t', return: '\r', backspace: '\b', formfeed: '\f' };

class Reader {
  constructor(text) {
    this.s = text;
    this.i = 0;
  }

  fail(message) {
    throw new EdnError(`${message} at position ${this.i}`);
  }

  /** Skips whitespace, commas, comments and #_ discarded forms. */
  skip() {
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) return;
      if (c === ';') {
        while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
      } else if (c === '#' && this.s[this.i + 1] === '_') {
        this.i += 2;
        this.value();
      } else if (c === ',' || /\s/.test(c)) {
        this.i++;
      } else {
        return;
      }
    }
  }

  atEnd() {
    this.skip();
    return this.i >= this.s.length;
  }

  value() {
    this.skip();
    const c = this.s[this.i];
    switch (c) {
      case undefined: return this.fail('Unexpected end of input');
      case '(': return new List(this.until(')'));
      case '[': return this.until(']');
      case '{': return this.map();
      case '"': return this.string();
      case '\\': return this.char();
      case '#': return this.dispatch();
      case ')': case ']': case '}': return this.fail(`Unexpected ${c}`);
      default: return this.atom(this.token());
    }
  }

  until(close) {
    this.i++;
    const items = [];
    for (;;) {
      this.skip();
      if (this.i >= this.s.length) this.fail(`Missing ${close}`);
      if (this.s[this.i] === close) {
        this.i++;
        return items;
      }
      items.push(this.value());
    }
  }

  map() {
    const items = this.until('}');
    if (items.length % 2 !== 0) this.fail('A map needs an even number of forms');
    const entries = [];
    for (let j = 0; j < items.length; j += 2) entries.push([items[j], items[j + 1]]);
    return new EdnMap(entries);
  }

  string() {
    let out = '';
    for (this.i++; ; this.i++) {
      const c = this.s[this.i];
      if (c === undefined) this.fail('Unterminated string');
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[++this.i];
      if (e === 'u') {
        out += String.fromCharCode(parseInt(this.s.slice(this.i + 1, this.i + 5), 16));
        this.i += 4;
      } else if (e in ESCAPES) {
        out += ESCAPES[e];
      } else {
        this.fail(`Unknown escape \\${e}`);
      }
    }
  }

  char() {
    this.i++;
    if (this.i >= this.s.length) this.fail('A character needs a name');
    const first = this.s[this.i++];
    const t = first + this.token();
    if (t.length === 1) return new Char(t);
    if (t in CHARS) return new Char(CHARS[t]);
    if (/^u[0-9a-fA-F]{4}$/.test(t)) return new Char(String.fromCharCode(parseInt(t.slice(1), 16)));
    return this.fail(`Unknown character \\${t}`);
  }

  dispatch() {
    const next = this.s[this.i + 1];
    if (next === '{') {
      this.i++;
      return new EdnSet(this.until('}'));
    }
    if (next === '#') {
      this.i += 2;
      const t = this.token();
      if (t === 'Inf' || t === '-Inf' || t === 'NaN') return new Float(`##${t}`);
      return this.fail(`Unknown ##${t}`);
    }
    this.i++;
    const tag = this.token();
    if (!tag) this.fail('A tag needs a name');
    return new Tagged(tag, this.value());
  }

  token() {
    const start = this.i;
    while (this.i < this.s.length && !DELIMITERS.has(this.s[this.i]) && !/\s/.test(this.s[this.i])) this.i++;
    return this.s.slice(start, this.i);
  }

  atom(t) {
    if (t === 'nil') return null;
    if (t === 'true') return true;
    if (t === 'false') return false;
    if (/^[+-]?\d+N?$/.test(t)) {
      const digits = t.endsWith('N') ? t.slice(0, -1) : t;
      const n = Number(digits);
      return Number.isSafeInteger(n) ? n : BigInt(digits);
    }
    if (/^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?M?$/.test(t)) return new Float(t);
    if (t.startsWith(':') && t.length > 1) return kw(t.slice(1));
    if (t.length > 0) return new Sym(t);
    return this.fail(`Unexpected ${this.s[this.i]}`);
  }
}

/** The one value in text; EdnError when it does not read or more follows. */
export function read(text) {
  const reader = new Reader(text);
  const value = reader.value();
  if (!reader.atEnd()) reader.fail('More than one form');
  return value;
}

/** Every value in text, in order. */
export function readAll(text) {
  const reader = new Reader(text);
  const values = [];
  while (!reader.atEnd()) values.push(reader.value());
  return values;
}

/** The EDN text of a value. */
export function print(v) {
  if (v === null || v === undefined) return 'nil';
  switch (typeof v) {
    case 'boolean': return String(v);
    case 'bigint': return v.toString();
    case 'number': return Number.isInteger(v) ? String(v) : `${v}`.includes('.') ? `${v}` : `${v}.0`;
    case 'string': return JSON.stringify(v);
    default: break;
  }
  if (v instanceof Raw) return v.text;
  if (v instanceof Keyword) return `:${v.name}`;
  if (v instanceof Sym) return v.name;
  if (v instanceof Float) return v.text;
  if (v instanceof Char) return `\\${Object.keys(CHARS).find((name) => CHARS[name] === v.text) ?? v.text}`;
  if (Array.isArray(v)) return `[${v.map(print).join(' ')}]`;
  if (v instanceof List) return `(${v.items.map(print).join(' ')})`;
  if (v instanceof EdnSet) return `#{${v.items.map(print).join(' ')}}`;
  if (v instanceof EdnMap) return `{${v.entries.map(([k, x]) => `${print(k)} ${print(x)}`).join(', ')}}`;
  if (v instanceof Tagged) return `#${v.tag} ${print(v.value)}`;
  throw new EdnError(`Cannot print ${Object.prototype.toString.call(v)}`);
}
