/**
 * XXE-safe XML helpers for WeCom callbacks (POST envelope: 接收消息与事件
 * https://developer.work.weixin.qq.com/document/path/90238; plaintext formats:
 * https://developer.work.weixin.qq.com/document/path/90239 messages,
 * https://developer.work.weixin.qq.com/document/path/90240 events).
 *
 * fast-xml-parser never fetches external entities, and we additionally refuse any DTD before parsing:
 * the official Java sample's XMLParse allowed XXE (liyiorg/weixin-popular#158, cloudwebsoft/ywoa#28).
 * Cap the body size before calling these (done by the HTTP route).
 */
import { XMLParser, XMLValidator, type X2jOptions } from 'fast-xml-parser';

export type CallbackXmlFailure = 'doctype' | 'malformed' | 'missing_encrypt';

export class CallbackXmlError extends Error {
  /** Official WXBizMsgCrypt code for XML parse failures (-40002, https://developer.work.weixin.qq.com/document/path/90307). */
  readonly officialCode = -40002;
  constructor(
    readonly reason: CallbackXmlFailure,
    message?: string,
  ) {
    super(message ?? `WeCom callback XML rejected: ${reason}`);
    this.name = 'CallbackXmlError';
  }
}

const CDATA = '#cdata';
const TEXT = '#text';

/**
 * Values stay exact strings: no number parsing (CreateTime, AgentID, 19-digit MsgId would lose
 * precision), no trimming (the signature covers the exact Encrypt text), CDATA kept apart from
 * surrounding text so `<Encrypt><![CDATA[x]]></Encrypt>` yields exactly `x`. Only XML's five built-in
 * entities are decoded (there is no DTD to define others).
 */
const OPTIONS: Partial<X2jOptions> = {
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  cdataPropName: CDATA,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
};

/**
 * The `Encrypt` text of a POST callback body (https://developer.work.weixin.qq.com/document/path/90238), exactly as
 * signed. The envelope never carries free text, so any `<!DOCTYPE`/`<!ENTITY` anywhere (any case) is refused outright.
 */
export function extractEncrypt(body: string): string {
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) throw new CallbackXmlError('doctype');
  // Every real envelope is flat (ToUserName, AgentID, Encrypt): the fast path answers it exactly as the parser would.
  const flat = parseFlat(body);
  if (flat) {
    const text = flat.Encrypt;
    if (!text) throw new CallbackXmlError('missing_encrypt');
    return text;
  }
  const root = parseRoot(body);
  const node = root.Encrypt;
  if (node === undefined) throw new CallbackXmlError('missing_encrypt');
  if (Array.isArray(node)) throw new CallbackXmlError('malformed', 'more than one <Encrypt>: which one was signed?');
  const text = leafText(node);
  if (text === null) throw new CallbackXmlError('malformed', '<Encrypt> is not a text element');
  if (text === '') throw new CallbackXmlError('missing_encrypt');
  return text;
}

/**
 * Flat map of the children of `<xml>` in a decrypted callback (https://developer.work.weixin.qq.com/document/path/90240).
 * Leaf values are exact strings (`CreateTime: '1409659813'`, `AgentID: '218'`).
 *
 * Nested elements (ExtAttr, SelectedItems, …) and repeated elements are returned as a JSON string of
 * their tree, with CDATA unwrapped and whitespace-only text dropped, e.g. SelectedItems →
 * `{"SelectedItem":{"QuestionKey":"k","OptionIds":{"OptionId":["a","b"]}}}` (a single child is an
 * object, several are an array). Handlers that need them `JSON.parse` that string.
 *
 * A user's chat text may legitimately contain `<!DOCTYPE` inside CDATA, so here only markup
 * declarations outside CDATA sections and comments are refused.
 */
export function parseCallbackXml(plaintext: string): Record<string, string | undefined> {
  const flat = parseFlat(plaintext);
  if (flat) return flat;
  const dtd = scanMarkupDeclarations(plaintext);
  if (dtd) throw new CallbackXmlError(dtd);
  const root = parseRoot(plaintext);
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(root)) {
    if (name === TEXT || name === CDATA) continue; // whitespace / stray text directly inside <xml>
    const text = Array.isArray(value) ? null : leafText(value);
    out[name] = text ?? JSON.stringify(simplify(value));
  }
  return out;
}

/** `<xml>` holding only leaf elements, each a single CDATA section or plain text (no `<`, no `&`). */
const FLAT_DOC = /^\s*<xml>(?:\s*<([A-Za-z_][\w.-]*)>(?:<!\[CDATA\[[\s\S]*?\]\]>|[^<&]*)<\/\1>)*\s*<\/xml>\s*$/;
const FLAT_ELEMENT = /<([A-Za-z_][\w.-]*)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<&]*))<\/\1>/g;

/**
 * Fast path for the shape every WeCom event and message has: a flat list of leaf elements. About ten
 * times cheaper than the general parser, and it is on the hot path of every callback. Returns null
 * (use the general parser) for anything else: nesting, entities, repeated or split-CDATA elements,
 * comments, declarations — so both paths give the same result where this one answers at all.
 */
function parseFlat(xml: string): Record<string, string | undefined> | null {
  if (typeof xml !== 'string' || xml.length > 65_536 || !FLAT_DOC.test(xml)) return null;
  const out: Record<string, string | undefined> = {};
  const inner = xml.slice(xml.indexOf('<xml>') + 5, xml.lastIndexOf('</xml>'));
  for (const m of inner.matchAll(FLAT_ELEMENT)) {
    const name = m[1]!;
    if (Object.prototype.hasOwnProperty.call(out, name)) return null; // repeated: the general parser's JSON form
    out[name] = m[2] ?? m[3] ?? '';
  }
  return out;
}

/** Validate, parse, and return the children of the single `<xml>` root. */
function parseRoot(xml: string): Record<string, unknown> {
  if (typeof xml !== 'string' || XMLValidator.validate(xml) !== true) throw new CallbackXmlError('malformed');
  let doc: unknown;
  try {
    doc = new XMLParser(OPTIONS).parse(xml);
  } catch {
    throw new CallbackXmlError('malformed');
  }
  if (!isRecord(doc)) throw new CallbackXmlError('malformed');
  // Exactly one element at top level, named xml (the validator accepts `<xml/><xml/>`).
  const elements = Object.keys(doc).filter((k) => k !== TEXT);
  if (elements.length !== 1 || elements[0] !== 'xml') throw new CallbackXmlError('malformed', 'root element must be a single <xml>');
  const root = doc.xml;
  if (root === '') return {}; // <xml></xml>
  if (!isRecord(root)) throw new CallbackXmlError('malformed', 'root element must be a single <xml>');
  return root;
}

/**
 * Text of a leaf element, or null when it has child elements or mixes text with CDATA. CDATA wins over
 * whitespace-only text around it (`<A>\n<![CDATA[x]]>\n</A>` is `x`).
 */
function leafText(node: unknown): string | null {
  if (typeof node === 'string') return node;
  if (!isRecord(node)) return null;
  const keys = Object.keys(node);
  if (keys.some((k) => k !== CDATA && k !== TEXT) || !(CDATA in node)) return null;
  const cdata = node[CDATA];
  const text = node[TEXT];
  if (text !== undefined && (typeof text !== 'string' || text.trim() !== '')) return null;
  if (typeof cdata === 'string') return cdata;
  if (Array.isArray(cdata) && cdata.every((c): c is string => typeof c === 'string')) return cdata.join('');
  return null;
}

/** The tree with CDATA unwrapped and whitespace-only text dropped, for the JSON form of nested fields. */
function simplify(node: unknown): unknown {
  const text = leafText(node);
  if (text !== null) return text;
  if (Array.isArray(node)) return node.map(simplify);
  if (!isRecord(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === TEXT && typeof v === 'string' && v.trim() === '') continue;
    out[k] = simplify(v);
  }
  return out;
}

/**
 * 'doctype' when a markup declaration (`<!DOCTYPE`, `<!ENTITY`, `<!ELEMENT`, …) appears outside CDATA
 * sections and comments, 'malformed' for an unterminated section, else null. Skipping CDATA/comments
 * follows XML tokenisation (both end at the first `]]>` / `-->`), so a DTD cannot hide inside them.
 */
function scanMarkupDeclarations(xml: string): CallbackXmlFailure | null {
  if (typeof xml !== 'string') return 'malformed';
  let i = 0;
  while ((i = xml.indexOf('<!', i)) !== -1) {
    const [open, close] = xml.startsWith('<![CDATA[', i) ? ['<![CDATA[', ']]>'] : xml.startsWith('<!--', i) ? ['<!--', '-->'] : [null, null];
    if (open === null) return 'doctype';
    const end = xml.indexOf(close, i + open.length);
    if (end === -1) return 'malformed';
    i = end + close.length;
  }
  return null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
