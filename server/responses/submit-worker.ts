// The task function of a submit pool worker (validation-pool.ts): piscina calls the default export per task.
import { checkSubmission, type SubmitCheck, type SubmitVerdict } from './submit-check.ts';

export default function validateSubmission(check: SubmitCheck): SubmitVerdict {
  return checkSubmission(check);
}
