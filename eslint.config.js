// Lint rules that guard determinism: simulation code (src/ except the CLI, actors/, properties/) takes time
// only from the VirtualClock and randomness only from the seeded Rng.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nondeterministicGlobals = [
  ['setTimeout', 'schedule through the VirtualClock (world clock or an XState `after` delay)'],
  ['setInterval', 'schedule through the VirtualClock'],
  ['setImmediate', 'schedule through the VirtualClock'],
  ['queueMicrotask', 'simulation steps are synchronous; schedule through the VirtualClock'],
  ['performance', 'virtual time comes from world.now'],
].map(([name, hint]) => ({ name, message: `Nondeterministic in simulation code: ${hint}.` }));

const nondeterministicProperties = [
  ['Math', 'random', 'draw from the seeded Rng (rng.next())'],
  ['Date', 'now', 'read world.now / the VirtualClock'],
  ['crypto', 'randomUUID', "use an id from nanoid's customRandom over the Rng"],
  ['crypto', 'getRandomValues', 'draw from the seeded Rng'],
  ['crypto', 'randomBytes', 'draw from the seeded Rng'],
  ['performance', 'now', 'read world.now'],
].map(([object, property, hint]) => ({ object, property, message: `Nondeterministic in simulation code: ${hint}.` }));

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'coverage/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts', 'actors/**/*.ts', 'properties/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: {
      'no-restricted-globals': ['error', ...nondeterministicGlobals],
      'no-restricted-properties': ['error', ...nondeterministicProperties],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date']", message: 'Nondeterministic in simulation code: read world.now.' },
        {
          selector: "ImportSpecifier[imported.name=/^(randomBytes|randomUUID|randomInt|getRandomValues|webcrypto)$/]",
          message: 'Nondeterministic in simulation code: draw from the seeded Rng.',
        },
        {
          selector: "ImportSpecifier[imported.name='nanoid']",
          message: "nanoid() draws from crypto: use customRandom over the Rng (rng.nanoid()).",
        },
      ],
    },
  },
);
