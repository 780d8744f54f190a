// A compiled ARM template read the way Azure Resource Manager would read it, as far as that can go without a
// subscription: template expressions ("[format('{0}-x', parameters('p'))]") are parsed and evaluated with the
// parameters' defaults (or the values a test gives). What only Azure knows (uniqueString, reference, listKeys,
// resourceId, resourceGroup, environment) stays opaque: rendered as <function(arguments)>, so a test can still see
// which resource a value comes from.

/** A value only Azure can compute; its text names the call and any property read from it. */
export class Opaque {
  constructor(text) {
    this.text = text;
  }

  toString() {
    return `<${this.text}>`;
  }
}

function tokenize(text) {
  const tokens = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new Error(`unterminated string in ${text}`);
        if (text[i] === "'" && text[i + 1] === "'") { value += "'"; i += 2; continue; }
        if (text[i] === "'") { i++; break; }
        value += text[i++];
      }
      tokens.push({ kind: 'string', value });
    } else if (/[0-9-]/.test(c)) {
      const match = /^-?[0-9]+/.exec(text.slice(i));
      tokens.push({ kind: 'number', value: Number(match[0]) });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
      tokens.push({ kind: 'name', value: match[0] });
      i += match[0].length;
    } else if ('(),.[]'.includes(c)) {
      tokens.push({ kind: c });
      i++;
    } else {
      throw new Error(`unexpected '${c}' in ${text}`);
    }
  }
  return tokens;
}

/** The syntax tree of one expression (the text between the outer brackets). */
export function parse(text) {
  const tokens = tokenize(text);
  let at = 0;
  const expect = (kind) => {
    if (tokens[at]?.kind !== kind) throw new Error(`expected ${kind} at token ${at} of ${text}`);
    return tokens[at++];
  };
  const expression = () => {
    const token = tokens[at++];
    let node;
    if (token.kind === 'string' || token.kind === 'number') node = { kind: 'literal', value: token.value };
    else if (token.kind === 'name') {
      expect('(');
      const args = [];
      while (tokens[at]?.kind !== ')') {
        args.push(expression());
        if (tokens[at]?.kind === ',') at++;
      }
      expect(')');
      node = { kind: 'call', name: token.value, args };
    } else throw new Error(`unexpected ${token.kind} in ${text}`);
    for (;;) {
      if (tokens[at]?.kind === '.') { at++; node = { kind: 'property', of: node, name: expect('name').value }; }
      else if (tokens[at]?.kind === '[') { at++; const index = expression(); expect(']'); node = { kind: 'index', of: node, index }; }
      else return node;
    }
  };
  const node = expression();
  if (at !== tokens.length) throw new Error(`trailing tokens in ${text}`);
  return node;
}

const isExpression = (value) => typeof value === 'string' && value.startsWith('[') && !value.startsWith('[[') && value.endsWith(']');
const text = (value) => (value instanceof Opaque ? value.toString() : String(value));
const opaqueIn = (values) => values.some((v) => v instanceof Opaque);

/**
 * Evaluates template values: `template` for its parameters and variables, `parameters` for values that override the
 * defaults (a parameter with neither fails the evaluation, as a deployment without it would).
 */
export function evaluator(template, parameters = {}) {
  const variableCache = new Map();

  const parameter = (name) => {
    if (name in parameters) return parameters[name];
    const declared = template.parameters?.[name];
    if (!declared) throw new Error(`no parameter ${name}`);
    if (!('defaultValue' in declared)) throw new Error(`parameter ${name} has no default and no value was given`);
    return value(declared.defaultValue);
  };

  const variable = (name) => {
    if (!variableCache.has(name)) {
      if (!(name in (template.variables ?? {}))) throw new Error(`no variable ${name}`);
      variableCache.set(name, value(template.variables[name]));
    }
    return variableCache.get(name);
  };

  const functions = {
    parameters: ([name]) => parameter(name),
    variables: ([name]) => variable(name),
    format: ([pattern, ...args]) => pattern.replace(/\{(\d+)\}/g, (_, n) => text(args[Number(n)])),
    concat: (args) => (Array.isArray(args[0]) ? args.flat() : args.map(text).join('')),
    string: ([v]) => (typeof v === 'object' && !(v instanceof Opaque) ? JSON.stringify(v) : text(v)),
    toLower: ([v]) => (v instanceof Opaque ? v : v.toLowerCase()),
    toUpper: ([v]) => (v instanceof Opaque ? v : v.toUpperCase()),
    take: ([v, n]) => (v instanceof Opaque ? v : v.slice(0, n)),
    replace: ([v, from, to]) => (v instanceof Opaque ? v : v.split(from).join(to)),
    startsWith: ([v, prefix]) => text(v).startsWith(prefix),
    endsWith: ([v, suffix]) => text(v).endsWith(suffix),
    empty: ([v]) => v === '' || v == null || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !(v instanceof Opaque) && Object.keys(v).length === 0),
    equals: ([a, b]) => a === b,
    not: ([a]) => !a,
    and: (args) => args.every(Boolean),
    or: (args) => args.some(Boolean),
    true: () => true,
    false: () => false,
    if: ([condition, a, b]) => (condition ? a : b),
    min: (args) => Math.min(...args),
    max: (args) => Math.max(...args),
    add: ([a, b]) => a + b,
    sub: ([a, b]) => a - b,
    mul: ([a, b]) => a * b,
    div: ([a, b]) => Math.trunc(a / b),
  };

  const evaluate = (node) => {
    switch (node.kind) {
      case 'literal':
        return node.value;
      case 'call': {
        // if() evaluates only the branch it takes, as ARM does.
        if (node.name === 'if') {
          const condition = evaluate(node.args[0]);
          return evaluate(condition ? node.args[1] : node.args[2]);
        }
        const args = node.args.map(evaluate);
        const known = functions[node.name];
        if (known && !(opaqueIn(args) && !['format', 'concat', 'toLower', 'toUpper', 'take', 'replace', 'string'].includes(node.name))) {
          return known(args);
        }
        // resourceId(type, names…) is rendered as its type: the names hold the opaque suffix anyway.
        if (node.name === 'resourceId') return new Opaque(`resourceId(${text(args[0])})`);
        return new Opaque(`${node.name}(${args.map(text).join(', ')})`);
      }
      case 'property': {
        const of = evaluate(node.of);
        return of instanceof Opaque ? new Opaque(`${of.text}.${node.name}`) : of?.[node.name];
      }
      case 'index': {
        const of = evaluate(node.of);
        const index = evaluate(node.index);
        return of instanceof Opaque || index instanceof Opaque ? new Opaque(`${text(of)}[${text(index)}]`) : of?.[index];
      }
      default:
        throw new Error(`unknown node ${node.kind}`);
    }
  };

  /** A template value with every expression in it evaluated (objects and arrays recursively). */
  function value(v) {
    if (isExpression(v)) return evaluate(parse(v.slice(1, -1)));
    if (typeof v === 'string' && v.startsWith('[[')) return v.slice(1);
    if (Array.isArray(v)) return v.map(value);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x)]));
    return v;
  }

  return value;
}

/** Every resource of a compiled template, nested deployments (modules) included. */
export function resources(template) {
  const all = [];
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    if (typeof node.type === 'string' && node.apiVersion) all.push(node);
    Object.values(node).forEach(visit);
  };
  visit(template.resources);
  return all;
}

/**
 * A connection string read as .NET's DbConnectionStringBuilder (and so Npgsql) reads it: `key=value` pairs split on
 * `;`, keys case-insensitive, a value in double or single quotes may hold `;` and doubles its own quote.
 */
export function parseConnectionString(connection) {
  const pairs = {};
  let i = 0;
  while (i < connection.length) {
    while (connection[i] === ';' || connection[i] === ' ') i++;
    if (i >= connection.length) break;
    const equals = connection.indexOf('=', i);
    if (equals < 0) throw new Error(`no '=' after ${connection.slice(i)}`);
    const key = connection.slice(i, equals).trim().toLowerCase();
    i = equals + 1;
    let v = '';
    const quote = connection[i];
    if (quote === '"' || quote === "'") {
      i++;
      for (;;) {
        if (i >= connection.length) throw new Error(`unterminated ${quote} in the value of ${key}`);
        if (connection[i] === quote && connection[i + 1] === quote) { v += quote; i += 2; continue; }
        if (connection[i] === quote) { i++; break; }
        v += connection[i++];
      }
      while (connection[i] === ' ') i++;
      if (i < connection.length && connection[i] !== ';') throw new Error(`text after the quoted value of ${key}`);
    } else {
      const end = connection.indexOf(';', i);
      v = connection.slice(i, end < 0 ? connection.length : end).trim();
      i = end < 0 ? connection.length : end;
    }
    pairs[key] = v;
  }
  return pairs;
}
