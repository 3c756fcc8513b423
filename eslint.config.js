// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TIME_AND_CHANCE = [
  { object: 'Date', property: 'now', message: 'Use the injected Clock (kernel/clock.ts).' },
  { object: 'Math', property: 'random', message: 'Use the injected Random (kernel/random.ts).' },
  {
    object: 'JSON',
    property: 'parse',
    message: 'Parse JSON from outside the process with parseJson (kernel/json.ts): it refuses keys that reach a prototype.',
  },
];
const TIMERS = ['setTimeout', 'setInterval'].map((name) => ({ name, message: 'Use the injected Clock (kernel/clock.ts).' }));

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'models/', '.cache/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.mjs', 'vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Services implement async interfaces; an async method without await is fine there.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/naming-convention': [
        'error',
        { selector: 'typeLike', format: ['PascalCase'] },
        { selector: 'enum', format: null, custom: { regex: '.*', match: false }, leadingUnderscore: 'forbid' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` object and a union.' },
        { selector: 'TSModuleDeclaration[kind="namespace"]', message: 'No namespaces.' },
      ],
    },
  },
  {
    files: ['src/daemon/**/*.ts', 'src/vision/**/*.ts', 'src/player/**/*.ts'],
    ignores: ['src/kernel/**', 'src/daemon/main.ts', 'src/daemon/ops/process-stop.ts', '**/*.test.ts', '**/testing/**'],
    rules: {
      'no-restricted-properties': ['error', ...TIME_AND_CHANCE],
      'no-restricted-globals': ['error', ...TIMERS],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` object and a union.' },
        { selector: 'TSModuleDeclaration[kind="namespace"]', message: 'No namespaces.' },
      ],
    },
  },
  // Every audit line is written through one helper, with an actor built in one place (store/audit.ts).
  {
    files: ['src/daemon/**/*.ts'],
    ignores: ['src/daemon/store/audit.ts', '**/*.test.ts', '**/testing/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` object and a union.' },
        { selector: 'TSModuleDeclaration[kind="namespace"]', message: 'No namespaces.' },
        {
          selector: 'CallExpression[callee.property.name="append"][callee.object.property.name="audit"]',
          message: 'Write the audit with `recordAudit` or `auditFirst` (store/audit.ts), for an `Actor`.',
        },
        {
          selector: 'TemplateLiteral[quasis.0.value.raw=/^(admin|user|self|mqtt|first-run):/]',
          message: 'Name who acts with `actors` (store/audit.ts), not a string built by hand.',
        },
      ],
    },
  },
  // The day plan block in force has one owner, which the music and the screens ask.
  {
    files: ['src/daemon/**/*.ts'],
    ignores: ['src/daemon/music/day-plan-watch.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/day-plan-policy.js'],
              importNames: ['activePlanAt'],
              message: 'Ask the day plan in force of its owner (DayPlanWatch.current), not the clock again.',
            },
          ],
        },
      ],
    },
  },
  // Which folder may import which is checked by dependency-cruiser (`npm run deps`, .dependency-cruiser.cjs):
  // it sees every file of a folder and type-only imports, which path patterns here cannot.
  {
    files: ['src/ui/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\.\\./.*daemon/(?!http/contract\\.js$)', message: 'The UI may import only types from daemon/http/contract.ts.' },
          ],
        },
      ],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: 'daemon/http/contract\\.js$', allowTypeImports: true, message: 'Import the wire format with `import type`.' },
          ],
        },
      ],
    },
  },
  // A file is one resource or responsibility; split by what belongs together, never by count or by
  // squeezing (blank lines and comments count). A class that owns one state stays whole: past 600
  // lines a file is nearly always two. Tests are exempt.
  {
    files: ['src/**/*.ts', 'scripts/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'max-lines': ['error', { max: 600, skipBlankLines: false, skipComments: false }] },
  },
  {
    files: ['**/*.test.ts', '**/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } } },
);
