#!/usr/bin/env node
// Open MARAC's command line. The server is TypeScript run by Node's own type
// stripping, which needs Node 22.18 or later; the project brings Node 24 via npm.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `Open MARAC needs Node.js 22.18 or later (this is ${process.version}). ` +
      'Run it through npm ("npm start", "npx marac ..."), which uses the Node.js 24 the project installs.',
  );
  process.exit(1);
}
const { main } = await import('../src/cli.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
