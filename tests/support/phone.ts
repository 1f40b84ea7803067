import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { newRoomSecret, deriveRoomKeys } from '../../protocol/src/crypto/derive.js';
import { toBase64url } from '../../protocol/src/crypto/bytes.js';
import { createGhost, over } from './ghost.js';
import { SHOTS, seriousViolations } from './review.js';

/** The two sizes every state is checked at: a phone (touch, DPR 2) and a laptop. */
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

/** A phone-shaped context (390×844, touch, DPR 2) with the service worker on. */
export function phoneContext(browser: Browser, extra: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, serviceWorkers: 'allow', ...extra });
}

/**
 * Checks one state at both sizes: `visible` must be on screen at each, axe
 * must find nothing serious or critical, and a screenshot is saved as
 * `<name>-390x844.png` / `<name>-1280x800.png` (tests/e2e/screenshots, git-ignored).
 */
export async function checkState(page: Page, name: string, visible: (p: Page) => Locator | Locator[]): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const original = page.viewportSize();
  for (const vp of [PHONE, DESKTOP]) {
    await page.setViewportSize(vp);
    const wanted = visible(page);
    for (const l of Array.isArray(wanted) ? wanted : [wanted]) {
      await l.waitFor({ state: 'visible', timeout: 15_000 });
      const box = await l.boundingBox();
      expect(box, `${name}: ${String(l)} has a box at ${vp.width}x${vp.height}`).not.toBeNull();
      // On screen, not below the fold or off to the side.
      expect(box!.y + Math.min(box!.height, 20), `${name}: ${String(l)} within the viewport at ${vp.width}x${vp.height}`).toBeLessThanOrEqual(vp.height);
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + Math.min(box!.width, 20)).toBeLessThanOrEqual(vp.width);
    }
    expect(await seriousViolations(page), `${name} at ${vp.width}x${vp.height}`).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/${name}-${vp.width}x${vp.height}.png` });
  }
  if (original) await page.setViewportSize(original);
}

/** Opens the room menu (leave, self-destruct, safety code live there on every size). */
export async function openMenu(page: Page): Promise<void> {
  const btn = page.getByRole('button', { name: 'Room menu' });
  if ((await btn.getAttribute('aria-expanded')) !== 'true') await btn.click();
}

/** Reads the invite link, opening the invite panel if it is collapsed (someone has joined). */
export async function inviteLink(page: Page): Promise<string> {
  const input = page.getByLabel('Invite link', { exact: true });
  if (!(await input.count())) await page.getByRole('button', { name: 'Share', exact: true }).click();
  return input.inputValue();
}

/** Joins through the landing page's paste field: the secret never becomes a navigated URL. */
export async function pasteJoin(page: Page, origin: string, link: string): Promise<void> {
  if (new URL(page.url()).pathname !== '/' || !page.url().startsWith(origin)) await page.goto(`${origin}/`);
  await page.getByLabel(/Got an invite link/).fill(link);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
}

/** A room made over the API (as any client could), with settings the form does not offer (a one-minute life). */
export async function apiRoom(origin: string, body: { ttlSeconds?: number; capacity?: number } = {}): Promise<{ link: string; roomId: string }> {
  const req = over(origin);
  const ghost = await createGhost(req);
  const secret = newRoomSecret();
  const keys = await deriveRoomKeys(secret);
  const res = await req('/api/rooms', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: ghost.auth },
    body: JSON.stringify({ roomId: keys.roomId, accessKeyHash: keys.accessKeyHash, ...body }),
  });
  if (res.status !== 201 && res.status !== 200) throw new Error(`create room: ${res.status} ${await res.text()}`);
  return { link: `${origin}/r#${toBase64url(secret)}`, roomId: keys.roomId };
}

/** A well-formed invite link to a room that was never created. */
export function unknownRoomLink(origin: string): string {
  return `${origin}/r#${toBase64url(newRoomSecret())}`;
}
