// Lint warnings fail CI (--max-warnings 0): a warning nobody fixes is noise.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/.next/**',
      '.luneo/**',
      '.tmp/**',
      'dashboard/next-env.d.ts',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@luneo/*/src/*', '../../*/src/*'],
              message: 'Import a package through its front door (its index.ts), not its internals.',
            },
          ],
        },
      ],
    },
  },
  {
    // The dashboard speaks to the API over HTTP only (DESIGN.md): no @luneo/* import, not even a
    // type. Tremor and Recharts stay behind components/charts so either can be swapped in one folder.
    files: ['dashboard/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@luneo/*'], message: 'The dashboard talks to the API over HTTP only: use @/lib/api.' },
            { group: ['../../*/src/*', '../../../*/src/*'], message: 'No reaching into other packages.' },
            {
              group: ['@tremor/*', 'recharts'],
              message:
                'Use the components in src/components/charts (the one place that knows the chart library).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['dashboard/src/components/charts/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@luneo/*'], message: 'The dashboard talks to the API over HTTP only.' }] },
      ],
    },
  },
)
