import { describe, expect, it } from 'vitest';
import { detectCapabilities, missingProtections } from './capabilities.js';

describe('detectCapabilities', () => {
  it('detects service workers and WebRTC by their presence, not by the browser', () => {
    expect(detectCapabilities({ navigator: { serviceWorker: {} }, RTCPeerConnection: function RTCPeerConnection() {} })).toEqual({ serviceWorker: true, webrtc: true });
    // Tor Browser: neither.
    expect(detectCapabilities({ navigator: {} })).toEqual({ serviceWorker: false, webrtc: false });
    expect(detectCapabilities({})).toEqual({ serviceWorker: false, webrtc: false });
  });
});

describe('missingProtections', () => {
  it('says nothing when everything is there', () => {
    expect(missingProtections({ serviceWorker: true, webrtc: true })).toEqual([]);
  });
  it('says plainly what is missing and what to do instead', () => {
    const [sw, rtc] = missingProtections({ serviceWorker: false, webrtc: false });
    expect(sw).toMatch(/keeps no app shell, so there is nothing to purge/);
    expect(rtc).toMatch(/direct mode is not available peer to peer\. Use a room/);
  });
});
