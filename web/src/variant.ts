// Which card this lab runs. A published site (`vgpu-lab publish`) lists its variants in variants/index.json; the
// URL's ?variant=ID picks one, else the site's default. Without a list (the dev server) the built-in Permedia 2v.
import type { CardVariant } from "../../vcd/card/definition.ts";
import { parseVariant } from "../../vcd/card/variants/check.ts";
import { permedia2v } from "../../vcd/card/variants/permedia2v.ts";
import { PUBLISHED_INDEX, publishedCardPath, type PublishedIndex } from "../../vcd/card/variants/published.ts";

export async function fetchJson<T>(url: string): Promise<T | null> {
  const res = await fetch(url, { cache: "no-cache" });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`cannot fetch ${url}: ${res.status}`);
  const type = res.headers.get("Content-Type") ?? "";
  if (!type.includes("json")) return null; // a dev server's fallback page, not a published list
  return (await res.json()) as T;
}

/** The variant named by `?variant=` (or the site's default); throws a sentence naming what is published. */
export async function selectVariant(base: string, search: string): Promise<CardVariant> {
  const wanted = new URLSearchParams(search).get("variant");
  const index = await fetchJson<PublishedIndex>(`${base}/${PUBLISHED_INDEX}`);
  if (!index) {
    if (wanted && wanted !== permedia2v.id) throw new Error(`this lab publishes no card variants, so ?variant=${wanted} cannot be served (the built-in card is ${permedia2v.id})`);
    return permedia2v;
  }
  const id = wanted ?? index.default;
  const entry = index.variants.find((v) => v.id === id);
  if (!entry) throw new Error(`no card variant '${id}' is published here; published: ${index.variants.map((v) => v.id).join(", ")}`);
  const path = publishedCardPath(entry.id);
  const res = await fetch(`${base}/${path}`, { cache: "no-cache" });
  if (!res.ok) throw new Error(`cannot fetch the ${entry.id} card (${path}): ${res.status}`);
  return parseVariant(await res.text(), path);
}
