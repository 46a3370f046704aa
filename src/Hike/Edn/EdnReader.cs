namespace Hike.Edn;

/// <summary>
/// Reads EDN text (https://github.com/edn-format/edn) the way Clojure's <c>clojure.edn</c> reader
/// does. Values come back as: <c>nil</c> → <c>null</c>; <c>true</c>/<c>false</c> → <see cref="bool"/>;
/// strings → <see cref="string"/>; characters → <see cref="char"/>; integers → <see cref="long"/>
/// (<c>N</c> suffix or too large → <see cref="System.Numerics.BigInteger"/>; hex <c>0x1F</c>,
/// octal <c>017</c> and radix <c>2r1010</c> are accepted); floating point → <see cref="double"/>
/// (<c>M</c> suffix → <see cref="decimal"/>; <c>##Inf</c>, <c>##-Inf</c>, <c>##NaN</c>);
/// keywords → <see cref="Keyword"/>; symbols → <see cref="Symbol"/>; lists, vectors, maps and sets →
/// <see cref="EdnList"/>, <see cref="EdnVector"/>, <see cref="EdnMap"/>, <see cref="EdnSet"/>
/// (a repeated map key or set element is an error; <c>#:ns{...}</c> namespaced maps are read as Clojure
/// does); <c>#inst</c> → UTC <see cref="DateTime"/> (milliseconds); <c>#uuid</c> → <see cref="Guid"/>;
/// Datahike's <c>#datahike/Datom [e a v tx added]</c> → that <see cref="EdnVector"/> of five;
/// Hike's <c>#hike/bytes "base64"</c>, <c>#hike/floats [...]</c>, <c>#hike/doubles [...]</c> → byte,
/// float and double arrays. <c>#_</c> discards the next form; <c>;</c> starts a comment; commas are
/// whitespace. Ratios, other tags and Clojure-only syntax (quote, regex, <c>#(...)</c>, metadata, ...)
/// are errors.
/// <para>
/// Every error is an <see cref="EdnSyntaxException"/> (code <c>edn/syntax</c>) naming what is wrong and
/// where. Reading is linear in the input; nesting deeper than <see cref="MaxDepth"/> is an error, so no
/// input can exhaust the stack. All members are thread-safe.
/// </para>
/// </summary>
public static class EdnReader
{
    /// <summary>
    /// The deepest nesting accepted: collections, tagged values and <c>#_</c> discards each count one
    /// level. Deeper input is an <see cref="EdnSyntaxException"/>.
    /// </summary>
    public const int MaxDepth = EdnParser.MaxDepth;

    /// <summary>
    /// Reads exactly one form from <paramref name="text"/>. Whitespace, commas, comments and discarded
    /// forms may surround it; no form, or a second form, is an error.
    /// </summary>
    /// <exception cref="EdnSyntaxException">The text is not exactly one well-formed EDN form.</exception>
    public static object? Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new EdnParser(text).ReadSingle();
    }

    /// <summary>
    /// Reads the single form in <paramref name="text"/>, reading a tag it does not know through
    /// <paramref name="readTag"/> (the tag's name without <c>#</c>, and the form after it; null when that
    /// tag is not known either): the HTTP server's <c>#datahike/Connection</c> and <c>#datahike/DB</c>.
    /// </summary>
    internal static object? Read(string text, Func<string, object?, object?> readTag)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new EdnParser(text) { ReadTag = readTag }.ReadSingle();
    }

    /// <summary>Reads every form in <paramref name="text"/> (zero or more), in order.</summary>
    /// <exception cref="EdnSyntaxException">The text is not a sequence of well-formed EDN forms.</exception>
    public static IReadOnlyList<object?> ReadAll(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new EdnParser(text).ReadRemaining().AsReadOnly();
    }

    /// <summary>
    /// Lazily reads the top-level forms of <paramref name="reader"/>, one per step of the enumeration,
    /// holding only a small buffer and the form being read in memory; suited to inputs of any size. A
    /// syntax error is thrown when the enumeration reaches it, after the forms before it were yielded.
    /// The reader is not disposed. Enumerate once: the enumeration consumes <paramref name="reader"/>.
    /// </summary>
    public static IEnumerable<object?> ReadForms(TextReader reader) => ReadForms(reader, EdnParser.DefaultBufferSize);

    /// <summary>As <see cref="ReadForms(TextReader)"/>, reading <paramref name="bufferSize"/> characters at a time.</summary>
    internal static IEnumerable<object?> ReadForms(TextReader reader, int bufferSize)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1);
        return Iterate(reader, bufferSize);
    }

    private static IEnumerable<object?> Iterate(TextReader reader, int bufferSize)
    {
        var parser = new EdnParser(reader, bufferSize);
        while (parser.TryReadNext(out var form)) yield return form;
    }
}
