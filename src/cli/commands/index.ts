import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerState } from './state.js';
import { registerValidate } from './validate.js';
import { registerPlan } from './plan.js';
import { registerApply } from './apply.js';
import { registerDrift } from './drift.js';
import { registerImport } from './import.js';
import { registerEmulator } from './emulator.js';

export type RegisterCommand = (program: Command, ctx: CliContext) => void;

/** Each command lives in its own file and registers itself here. */
export const commands: RegisterCommand[] = [registerValidate, registerPlan, registerApply, registerState, registerDrift, registerImport, registerEmulator];
