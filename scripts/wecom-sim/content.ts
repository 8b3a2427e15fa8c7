// Body checks for the plain message types shared by message/send (https://developer.work.weixin.qq.com/document/path/90236)
// and appchat/send (https://developer.work.weixin.qq.com/document/path/90248). Byte limits count UTF-8 bytes. Missing
// fields get the dedicated global codes (https://developer.work.weixin.qq.com/document/path/90313): 44004 empty
// text, 41016 title, 41033 description, 41010 url, 45008 more than 8 articles.
import { ApiError } from './errors';
import { checkBytes, isObject, requireString, type Json } from './input';

/**
 * text.content ≤ 2048 bytes. The doc says longer text is truncated; the simulator rejects it (40058, as WeCom answers
 * for over-long content elsewhere) so a product that does not cut its own text is caught. README: choices.
 */
export function checkText(c: Json, field = 'text'): void {
  const content = c['content'];
  if (typeof content !== 'string' || content === '') throw new ApiError(44004, `${field}.content missing`);
  checkBytes(`${field}.content`, content, 2048);
}

/** markdown.content ≤ 2048 bytes for app messages (4096 for robots, robots.ts). */
export function checkMarkdown(c: Json, max = 2048, field = 'markdown'): void {
  const content = c['content'];
  if (typeof content !== 'string' || content === '') throw new ApiError(44004, `${field}.content missing`);
  checkBytes(`${field}.content`, content, max);
}

/** textcard: title ≤ 128 bytes, description ≤ 512 bytes, url ≤ 2048 bytes, btntxt ≤ 4 characters. */
export function checkTextcard(c: Json): void {
  checkBytes('textcard.title', requireString(c, 'title', 'textcard.title', 41016), 128);
  checkBytes('textcard.description', requireString(c, 'description', 'textcard.description', 41033), 512);
  checkBytes('textcard.url', requireString(c, 'url', 'textcard.url', 41010), 2048);
  const btn = c['btntxt'];
  if (btn !== undefined && (typeof btn !== 'string' || [...btn].length > 4)) throw new ApiError(40058, 'textcard.btntxt exceed max length 4');
}

/** news: 1..8 articles, each with a title (≤ 128 bytes), description ≤ 512 bytes, url ≤ 2048 bytes. */
export function checkNews(c: Json, field = 'news'): void {
  const articles = c['articles'];
  if (!Array.isArray(articles) || articles.length === 0) throw new ApiError(40058, `${field}.articles missing`);
  if (articles.length > 8) throw new ApiError(45008, `${field}.articles exceed max size 8`);
  articles.forEach((a: unknown, i) => {
    if (!isObject(a)) throw new ApiError(40058, `${field}.articles[${i}] invalid`);
    checkBytes(`${field}.articles.title`, requireString(a, 'title', `${field}.articles[${i}].title`, 41016), 128);
    if (typeof a['description'] === 'string') checkBytes(`${field}.articles.description`, a['description'], 512);
    if (typeof a['url'] === 'string') checkBytes(`${field}.articles.url`, a['url'], 2048);
  });
}
