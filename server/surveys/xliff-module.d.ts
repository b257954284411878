// The `xliff` package ships no types; these cover the two functions Svar uses.
declare module 'xliff' {
  interface XliffJs {
    sourceLanguage?: string;
    targetLanguage?: string;
    resources: Record<string, Record<string, unknown>>;
  }
  const xliff: {
    js2xliff(js: XliffJs, options?: Record<string, unknown>): Promise<string>;
    xliff2js(xml: string, options?: Record<string, unknown>): Promise<XliffJs>;
  };
  export default xliff;
}
