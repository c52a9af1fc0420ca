// A list of what is wrong, each item saying where and what. In the form's summary each item is a
// link that moves the focus to its field.
import type { SettingsIssue } from '../settings/issues';
import { fieldId, issueLocation, issueText, useT } from './text';

interface Props {
  issues: SettingsIssue[];
  /** The file or form the issues are about, for partner names. */
  file: unknown;
  linkToFields?: boolean;
}

export function IssueList({ issues, file, linkToFields }: Props) {
  const t = useT();
  return (
    <ul class="issues">
      {issues.map((issue) => {
        const where = issueLocation(issue.path, t, file);
        const text = where ? `${where}: ${issueText(issue, t)}` : issueText(issue, t);
        return (
          <li key={`${issue.path.join('.')} ${issue.messageKey}`}>
            {linkToFields ? (
              <a
                href={`#${fieldId(issue.path)}`}
                onClick={(event) => {
                  event.preventDefault();
                  document.getElementById(fieldId(issue.path))?.focus();
                }}
              >
                {text}
              </a>
            ) : (
              text
            )}
          </li>
        );
      })}
    </ul>
  );
}
