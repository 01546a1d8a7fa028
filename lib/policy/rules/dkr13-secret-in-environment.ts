import { PolicyLevel } from '../level';
import { asArray } from '../../analysis/values';
import { IPolicyRule, RuleViolation } from '../rule';

/** PASSWORD, SECRET, TOKEN anywhere in the name; KEY as a word of it (API_KEY, APIKEY, KEY) but not KEYBOARD. */
const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|(^|_)[A-Z]*KEY(_|$)/;

/** DKR13: an environment variable's value is in `docker inspect`, in Terraform state and in every child process. */
export const DKR13_SECRET_IN_ENVIRONMENT: IPolicyRule = {
  id: 'DKR13',
  name: 'secret-in-environment',
  level: PolicyLevel.WARNING,
  fix: 'write the secret into a file (`files`) and pass its path in a `*_FILE` variable, or pass a sensitive variable\'s reference',
  evaluate: (c) =>
    asArray(c.config.env).flatMap((entry): RuleViolation[] => {
      const text = String(entry);
      const eq = text.indexOf('=');
      const name = eq < 0 ? text : text.slice(0, eq);
      const value = eq < 0 ? '' : text.slice(eq + 1);
      const upper = name.toUpperCase();
      if (!SECRET_NAME.test(upper) || upper.endsWith('_FILE') || value === '' || value.includes('${')) return [];
      return [{ findingId: name, problem: `the environment variable ${name} holds a literal value that looks like a secret` }];
    }),
};
