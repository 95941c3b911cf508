import { join } from 'node:path';
import { unitsFor } from '../units/index.js';
import { type Answers, validateAnswers } from './answers.js';
import { renderCiWorkflow } from './render/ci-workflow.js';
import { renderEnvExample } from './render/env-example.js';
import { renderAppJson, renderProcfile } from './render/heroku.js';
import { MANIFEST_FILE, renderManifest } from './render/manifest.js';
import { type PackageJsonOptions, renderPackageJson } from './render/package-json.js';
import { renderReadme } from './render/readme.js';
import { renderPreload, renderRegistry } from './render/registry.js';
import { renderSecurityMd } from './render/security-md.js';
import { addTemplateDir, type FileTree, setFile, TEMPLATES_DIR } from './tree.js';
import type { Unit } from './unit.js';

export interface Plan {
  answers: Answers;
  units: Unit[];
  files: FileTree;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  checklist: string[];
}

export type PlanOptions = PackageJsonOptions;

/**
 * Answers → the whole project as an in-memory tree. Pure: reads templates, writes nothing. `create` flushes
 * it to disk, `generate` lays it over an existing project, `check` compares it with one.
 */
export function plan(input: Answers, options: PlanOptions = {}): Plan {
  const answers = validateAnswers(input);
  const units = unitsFor(answers);
  const files: FileTree = new Map();
  const vars = { projectName: answers.projectName };
  const fw = answers.framework;
  addTemplateDir(files, join(TEMPLATES_DIR, 'base', 'common'), 'base', vars);
  addTemplateDir(files, join(TEMPLATES_DIR, 'base', fw), `base/${fw}`, vars);
  for (const unit of units) {
    addTemplateDir(files, join(TEMPLATES_DIR, 'units', unit.id, 'common'), unit.id, vars);
    addTemplateDir(files, join(TEMPLATES_DIR, 'units', unit.id, fw), `${unit.id}/${fw}`, vars);
  }
  const packageJson = renderPackageJson(answers, units, options);
  setFile(files, 'package.json', packageJson, 'merged');
  setFile(files, '.env.example', renderEnvExample(units), 'merged');
  setFile(files, 'src/registry.ts', renderRegistry(units), 'managed');
  setFile(files, 'src/preload.ts', renderPreload(units), 'managed');
  setFile(files, MANIFEST_FILE, renderManifest(answers), 'managed');
  setFile(files, 'Procfile', renderProcfile(answers), 'seeded');
  setFile(files, 'app.json', renderAppJson(answers, units), 'seeded');
  setFile(files, 'README.md', renderReadme(answers, units), 'seeded');
  setFile(files, '.github/workflows/ci.yml', renderCiWorkflow(answers), 'seeded');
  // Last: it reads every other file to map each control to its code and its test.
  setFile(files, 'SECURITY.md', renderSecurityMd(files, units), 'managed');
  const pkg = JSON.parse(packageJson) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  return {
    answers,
    units,
    files,
    dependencies: pkg.dependencies,
    devDependencies: pkg.devDependencies,
    checklist: [...new Set(units.flatMap((u) => u.checklist))].sort(),
  };
}
