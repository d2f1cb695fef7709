// Types of bench/goals.mjs for the tests (the bench itself is plain JavaScript run by Node).
export interface Goal {
  issue: number;
  goal: string;
  measured: string;
  met: boolean;
}

export interface GoalsLine {
  scenario: 'goals';
  machine: { nodeMs?: number; oneTargetCpuMs?: number };
  met: number;
  of: number;
  goals: Goal[];
}

interface ReportLike {
  targets: Array<{ name: string; rootCauses?: unknown[]; results: Array<{ status: string }> }>;
}

export function falseResults(report: ReportLike, faults: string[]): string[];
export function judgeGoals(lines: Array<Record<string, unknown>>): GoalsLine;
