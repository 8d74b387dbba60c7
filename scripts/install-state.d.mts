export interface InstallState {
  nodeModules: boolean;
  missingTools: string[];
  lockHash: string;
  marker: string | null;
  mismatched: string[];
}
export declare const MARKER: string;
export declare const TOOLS: string[];
export declare function decideInstall(state: InstallState): { install: boolean; reason: string };
export declare function hashFile(file: string): string;
export declare function mismatchedDependencies(root: string): string[];
export declare function readInstallState(root: string): InstallState;
export declare function writeMarker(root: string, lockHash: string): void;
export declare function ensureDependencies(
  root: string,
  npm: string,
  run: (cmd: string, args: string[]) => void,
): void;
