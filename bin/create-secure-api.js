#!/usr/bin/env node
import { installSignalHandlers, main, report } from '../dist/cli.js';

installSignalHandlers();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.exitCode = report(error);
  },
);
