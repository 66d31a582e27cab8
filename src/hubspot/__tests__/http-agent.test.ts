/** The agent under every request: protocol by base path, one hop, never off the configured origin. */
import http from 'node:http';
import https from 'node:https';
import { createHubSpotAgent, RedirectRefusedError, singleHopAgent } from '../http-agent.js';

it('picks an https keep-alive agent for HubSpot, http for a local sandbox', () => {
  const secure = createHubSpotAgent({ basePath: 'https://api.hubapi.com', idleTimeoutMs: 100 });
  const plain = createHubSpotAgent({ basePath: 'http://127.0.0.1:4000', idleTimeoutMs: 100 });
  expect(secure).toBeInstanceOf(https.Agent);
  expect(plain).toBeInstanceOf(http.Agent);
  expect(plain).not.toBeInstanceOf(https.Agent);
  secure.destroy();
  plain.destroy();
});

it('allows one hop on the configured origin and refuses redirects or other origins', () => {
  const agent = new http.Agent();
  const select = singleHopAgent(agent, 'https://api.hubapi.com');
  expect(select({ protocol: 'https:', host: 'api.hubapi.com' })).toBe(agent);
  expect(() => select({ protocol: 'https:', host: 'api.hubapi.com' })).toThrow(RedirectRefusedError);
  const other = singleHopAgent(agent, 'https://api.hubapi.com');
  expect(() => other({ protocol: 'http:', host: '169.254.169.254' })).toThrow(RedirectRefusedError);
  expect(() =>
    singleHopAgent(agent, 'https://api.hubapi.com')({ protocol: 'http:', host: 'api.hubapi.com' }),
  ).toThrow(RedirectRefusedError);
  agent.destroy();
});
