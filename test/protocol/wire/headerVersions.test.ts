import { describe, expect, it } from 'vitest';
import { apiByKey, apiKeys } from '../../../src/protocol/wire/apiKeys.ts';
import { requestHeaderVersion, responseHeaderVersion } from '../../../src/protocol/wire/headerVersions.ts';
import { kafkajsApiKeys, kafkajsRequests } from './kafkajs.ts';

describe('header versions', () => {
  it('frame non-flexible versions with request header v1 and response header v0', () => {
    expect(requestHeaderVersion(apiKeys.Metadata, 8)).toBe(1);
    expect(responseHeaderVersion(apiKeys.Metadata, 8)).toBe(0);
    expect(requestHeaderVersion(apiKeys.SaslHandshake, 1)).toBe(1);
  });

  it('frame flexible versions with request header v2 and response header v1', () => {
    expect(requestHeaderVersion(apiKeys.Metadata, 9)).toBe(2);
    expect(responseHeaderVersion(apiKeys.Metadata, 9)).toBe(1);
    expect(requestHeaderVersion(apiKeys.AlterPartitionReassignments, 0)).toBe(2);
  });

  it('answer ApiVersions with response header v0 even in the flexible v3 (KIP-511)', () => {
    expect(requestHeaderVersion(apiKeys.ApiVersions, 3)).toBe(2);
    expect(responseHeaderVersion(apiKeys.ApiVersions, 3)).toBe(0);
    expect(responseHeaderVersion(apiKeys.FindCoordinator, 3)).toBe(1);
  });

  it('give ControlledShutdown v0 request header v0, its v1 the usual v1', () => {
    expect(requestHeaderVersion(apiKeys.ControlledShutdown, 0)).toBe(0);
    expect(requestHeaderVersion(apiKeys.ControlledShutdown, 1)).toBe(1);
  });

  it('know every API kafkajs 2.2.4 implements, under the same key', () => {
    const implemented = Object.entries(kafkajsRequests)
      .filter(([, definitions]) => definitions.versions.length > 0)
      .map(([name]) => name);
    expect(implemented.length).toBeGreaterThan(30);
    for (const name of implemented) {
      const apiKey = kafkajsApiKeys[name];
      expect(apiKey, name).toBeTypeOf('number');
      const spec = apiByKey(apiKey as number);
      // kafkajs still calls FindCoordinator by its pre-KIP-98 name.
      expect(spec?.name, name).toBe(name === 'GroupCoordinator' ? 'FindCoordinator' : name);
    }
  });
});
