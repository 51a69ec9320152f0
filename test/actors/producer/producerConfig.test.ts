import { describe, expect, it } from 'vitest';
import { ConfigException, resolveProducerConfig } from '../../../actors/producer/producerConfig.ts';
import type { ProducerSettings } from '../../../actors/producer/producerDefaults.ts';

function configError(settings: Partial<ProducerSettings>): ConfigException {
  try {
    resolveProducerConfig(settings);
  } catch (error) {
    if (error instanceof ConfigException) return error;
    throw error;
  }
  throw new Error(`expected a ConfigException for ${JSON.stringify(settings)}`);
}

describe('resolveProducerConfig', () => {
  it('fills in the defaults and turns acks=all into -1', () => {
    const config = resolveProducerConfig();
    expect(config.acks).toBe(-1);
    expect(config.enableIdempotence).toBe(true);
    expect(config.deliveryTimeoutMs).toBe(120_000);
  });

  it('throws when idempotence is enabled explicitly and acks, retries or max in flight conflict, naming the setting', () => {
    expect(configError({ enableIdempotence: true, acks: 1 })).toMatchObject({ setting: 'acks', value: 1 });
    expect(configError({ enableIdempotence: true, acks: 1 }).message).toMatch(/acks \(acks\).*'all'.*enable\.idempotence=false/);
    expect(configError({ enableIdempotence: true, retries: 0 })).toMatchObject({ setting: 'retries', value: 0 });
    const inFlight = configError({ enableIdempotence: true, maxInFlightRequestsPerConnection: 6 });
    expect(inFlight).toMatchObject({ setting: 'maxInFlightRequestsPerConnection', value: 6 });
    expect(inFlight.message).toMatch(/max\.in\.flight\.requests\.per\.connection.*at most 5/);
  });

  it('silently turns idempotence off when it is only the default and a setting conflicts', () => {
    expect(resolveProducerConfig({ acks: 1 })).toMatchObject({ acks: 1, enableIdempotence: false });
    expect(resolveProducerConfig({ acks: 0 }).enableIdempotence).toBe(false);
    expect(resolveProducerConfig({ retries: 0 }).enableIdempotence).toBe(false);
    expect(resolveProducerConfig({ maxInFlightRequestsPerConnection: 6 }).enableIdempotence).toBe(false);
  });

  it('keeps idempotence with acks=-1 written as a number and up to 5 in flight', () => {
    expect(resolveProducerConfig({ enableIdempotence: true, acks: -1, maxInFlightRequestsPerConnection: 5 }).enableIdempotence).toBe(true);
  });

  it('raises the default delivery timeout to linger.ms + request.timeout.ms, and refuses a user value below it', () => {
    expect(resolveProducerConfig({ requestTimeoutMs: 200_000, lingerMs: 5 }).deliveryTimeoutMs).toBe(200_005);
    expect(configError({ deliveryTimeoutMs: 1_000 })).toMatchObject({ setting: 'deliveryTimeoutMs', value: 1_000 });
    expect(configError({ deliveryTimeoutMs: 1_000 }).message).toMatch(/delivery\.timeout\.ms.*linger\.ms \+ request\.timeout\.ms \(30000\)/);
  });

  it('names the field, the value and what is allowed for a value out of range or of the wrong type', () => {
    const linger = configError({ lingerMs: -1 });
    expect(linger.message).toBe('Invalid value -1 for configuration linger.ms (lingerMs): must be an integer in [0, 9007199254740991]');
    expect(configError({ batchSize: 1.5 })).toMatchObject({ setting: 'batchSize', value: 1.5 });
    expect(configError({ maxInFlightRequestsPerConnection: 0 }).allowed).toMatch(/\[1, 2147483647\]/);
    expect(configError({ acks: 2 as never }).message).toMatch(/acks.*'all', -1, 0, 1/);
    expect(configError({ enableIdempotence: 'yes' as never }).setting).toBe('enableIdempotence');
    expect(configError({ partitioner: 'random' as never }).message).toMatch(/'round-robin', 'sticky'/);
  });

  it('refuses an unknown setting and lists the known ones', () => {
    const unknown = configError({ lingerMS: 5 } as never);
    expect(unknown.setting).toBe('lingerMS');
    expect(unknown.message).toMatch(/not a producer setting.*lingerMs/);
  });
});
