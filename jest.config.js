// Test tiers by suffix: *.spec.ts pure, *.int.spec.ts real files and servers, test/ *.e2e-spec.ts whole apps.
const swc = ['@swc/jest', {
  swcrc: false,
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
}];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@accord/(domain|event-store|projections|platform|crypto|object-store|jobs)$': '<rootDir>/libs/$1/src/index.ts',
  },
  // Generous: the e2e suites start real processes and servers, and a loaded 2-core machine can take a minute.
  testTimeout: 120000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
