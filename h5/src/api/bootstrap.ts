import type { HomeResponse, MeResponse } from '@shopcrew/shared';

/**
 * First-paint data the server embeds in index.html for a signed-in member
 * (`<script id="bootstrap" type="application/json">`, server/src/http/h5-bootstrap.ts): the bodies
 * of GET /api/me and GET /api/home, so the first page renders without waiting for an API round trip.
 * Absent when signed out (or when the server could not build it): the stores then fetch as usual.
 */
export interface Bootstrap {
  me?: MeResponse;
  home?: HomeResponse;
}

let embedded: Bootstrap | undefined;

function read(): Bootstrap {
  if (!embedded) {
    embedded = {};
    const el = typeof document === 'undefined' ? null : document.getElementById('bootstrap');
    if (el) {
      try {
        const parsed = JSON.parse(el.textContent ?? '') as unknown;
        if (parsed && typeof parsed === 'object') embedded = parsed as Bootstrap;
      } catch {
        /* malformed: fetch instead */
      }
      el.remove();
    }
  }
  return embedded;
}

/** Whether the server embedded anything not taken yet (i.e. the member is known without a request). */
export function hasBootstrap(): boolean {
  return Object.keys(read()).length > 0;
}

/**
 * The embedded body for `key`, once: a store seeds itself with it at creation; anything later
 * (a reload, a new member after sign-out) goes to the API.
 */
export function takeBootstrap<K extends keyof Bootstrap>(key: K): Bootstrap[K] | undefined {
  const data = read();
  const value = data[key];
  delete data[key];
  return value;
}
