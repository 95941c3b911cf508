/** One thing `secure-api check` found. Data first: printed for humans, as JSON, or as SARIF. */
export type Severity = 'error' | 'warning' | 'note';

export interface Finding {
  severity: Severity;
  /** The checklist ID of the control that drifted or weakened (C01…, W1…, G6). */
  checklistId: string;
  /** POSIX path relative to the project root. */
  file: string;
  /** 1-based; 1 when the finding is about the whole file. */
  line: number;
  message: string;
  /** What to do about it. */
  fix: string;
}

export interface CheckReport {
  dir: string;
  findings: Finding[];
  errors: number;
  warnings: number;
  /** How many files were compared or inspected. */
  filesChecked: number;
  ms: number;
}

/** Collects findings; one per (id, file, line, message). */
export class Findings {
  readonly list: Finding[] = [];
  private readonly seen = new Set<string>();

  add(f: Finding): void {
    const key = `${f.checklistId}|${f.file}|${f.line}|${f.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push({ ...f, line: Math.max(1, f.line) });
  }

  error(checklistId: string, file: string, line: number, message: string, fix: string): void {
    this.add({ severity: 'error', checklistId, file, line, message, fix });
  }

  warning(checklistId: string, file: string, line: number, message: string, fix: string): void {
    this.add({ severity: 'warning', checklistId, file, line, message, fix });
  }
}

/** 1-based line of a character offset. */
export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
