import { describe, expect, it } from 'vitest';
import { allowedMethods, compileRoutes } from './methods.js';

const routes = compileRoutes([
  { method: 'ALL', path: '*' },
  { method: 'GET', path: '/live' },
  { method: 'GET', path: '/api/rooms' },
  { method: 'POST', path: '/api/rooms' },
  { method: 'POST', path: '/api/rooms/:id/join-tokens' },
  { method: 'ALL', path: '/api/*' },
  { method: 'GET', path: '/' },
  { method: 'ALL', path: '/*' },
]);

describe('allowedMethods', () => {
  it('lists the methods of every route that matches, with HEAD beside GET', () => {
    expect(allowedMethods(routes, '/api/rooms')).toEqual(['GET', 'HEAD', 'POST']);
    expect(allowedMethods(routes, '/api/rooms/abc/join-tokens')).toEqual(['POST']);
    expect(allowedMethods(routes, '/live')).toEqual(['GET', 'HEAD']);
  });

  it('gives the static files GET and HEAD, and leaves unknown API paths to the 404', () => {
    expect(allowedMethods(routes, '/assets/app-1234abcd.js')).toEqual(['GET', 'HEAD']);
    expect(allowedMethods(routes, '/api/nothing')).toBeUndefined();
    expect(allowedMethods(routes, '/api/rooms/abc/join-tokens/extra')).toBeUndefined();
  });
});
