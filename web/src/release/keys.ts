/**
 * The public half of Ghostwire's official release key (Ed25519, raw, base64url),
 * also printed in README.md. A build signed by it is "signed by the Ghostwire
 * release key"; a signature by any other key is someone else's build. The
 * private half never enters this repository (docs/self-hosting.md, "Releases").
 */
export const OFFICIAL_RELEASE_KEYS: readonly string[] = ['eFzdq8gXzJumjdBsndyv6Q5NBXGIggxuq5uqoj6A7WU'];
