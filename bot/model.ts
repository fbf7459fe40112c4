// The core data model shared by every stage: sources produce RawMessage, the mail layer turns them
// into Message and Series, the rule engine adds Findings, reporters format a Review.
import type { Finding, RuleRunError } from '../rules/engine/types.ts';

/** Bytes of one message as a source delivered it, plus where it came from (for errors and state). */
export interface RawMessage {
  /** Which source delivered it, e.g. "mbox:/path/file.mbox", "imap://host/INBOX", "maildir:/x". */
  source: string;
  /** Where inside the source: "#12" in an mbox, a UID, a Maildir file name, a commit id. */
  locator: string;
  data: Buffer;
  /**
   * Size of the message as the source had it, when the source kept only part of it (data cut at a
   * size limit). parseMessage rejects such a message naming this size.
   */
  originalSize?: number;
}

export interface Address {
  name: string;
  address: string;
}

/** A parsed subject line, as b4's LoreSubject. */
export interface Subject {
  /** The full original subject, decoded. */
  raw: string;
  /** The subject without Re:/Fwd: and without bracketed prefixes: the patch title. */
  text: string;
  isReply: boolean;
  isPatch: boolean;
  /** 1 when no vN is given. */
  revision: number;
  /** N in "N/M"; 1 for a lone [PATCH]; 0 for a cover letter. */
  counter: number;
  /** M in "N/M"; 1 for a lone [PATCH]. */
  expected: number;
  /** Extra prefixes that are not PATCH/RFC/RESEND/vN/N/M, e.g. "net-next". */
  prefixes: string[];
  rfc: boolean;
  resend: boolean;
}

export interface Trailer {
  name: string;
  value: string;
}

export interface Message {
  /** Message-ID without angle brackets. */
  id: string;
  inReplyTo?: string;
  references: string[];
  from: Address;
  to: Address[];
  cc: Address[];
  replyTo: Address[];
  date: Date;
  subject: Subject;
  /** Decoded plain-text body (the inline part, or text/x-patch attachments appended). */
  body: string;
  /** Lower-cased header name -> decoded value (first occurrence), of the fields in mail/header-names.ts. */
  headers: Map<string, string>;
  /** Size of the raw message in bytes. */
  size: number;
  /** Where the raw message came from. */
  source: string;
  locator: string;
}

export interface HunkLine {
  type: 'add' | 'del' | 'context';
  /** The line without its leading '+', '-' or ' '. */
  text: string;
  oldLine?: number;
  newLine?: number;
}

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Text after the closing "@@" of the hunk header: git's function context, may be empty. */
  section: string;
  lines: HunkLine[];
}

export type FileStatus = 'added' | 'deleted' | 'modified' | 'renamed' | 'copied' | 'mode';

export interface FileChange {
  oldPath: string | null;
  newPath: string | null;
  /** newPath, or oldPath for a deleted file. Never a file system path: it is untrusted text. */
  path: string;
  status: FileStatus;
  binary: boolean;
  oldMode?: string;
  newMode?: string;
  hunks: Hunk[];
}

export interface Patch {
  /** Counter in the series; 1-based. */
  index: number;
  message: Message;
  author: Address;
  /** Commit message: body up to the "---" separator, trailers included. */
  commitMessage: string;
  trailers: Trailer[];
  files: FileChange[];
  /** Set when the diff is visibly damaged (format=flowed, wrapped lines): the reason. */
  mangled?: string;
}

export interface Series {
  /** Stable identity across sources: derived from the cover/first patch Message-ID and revision. */
  key: string;
  /** The series title: the cover letter's subject text, or the first patch's. */
  title: string;
  revision: number;
  expected: number;
  cover?: Message;
  patches: Patch[];
  missing: number[];
  complete: boolean;
  baseCommit?: string;
  changeId?: string;
  /** Replies in the thread (reviews, acks); never reviewed as patches. */
  followUps: Message[];
  /** Human-readable remarks from assembly, e.g. "incomplete: missing 3/8". */
  notes: string[];
}

/** One reviewed series: the input to every reporter. Reporters never change it. */
export interface Review {
  series: Series;
  findings: Finding[];
  /** Rules that threw or ran out of budget on this series. */
  ruleErrors: RuleRunError[];
  /** Remarks for the reader, e.g. "series did not apply to --tree; reviewed hunks only". */
  notes: string[];
  /** Version of the rule set that produced the findings (for state and dedup). */
  rulesetVersion: string;
}

/** An input that could not be read or parsed: one line for the user, never a stack trace. */
export interface InputProblem {
  input: string;
  message: string;
}
