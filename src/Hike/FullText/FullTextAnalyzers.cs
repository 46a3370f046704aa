using System.Collections.Frozen;
using Hike.Edn;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Ar;
using Lucene.Net.Analysis.Bg;
using Lucene.Net.Analysis.Ca;
using Lucene.Net.Analysis.Cjk;
using Lucene.Net.Analysis.Ckb;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Cz;
using Lucene.Net.Analysis.Da;
using Lucene.Net.Analysis.De;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Es;
using Lucene.Net.Analysis.Eu;
using Lucene.Net.Analysis.Fa;
using Lucene.Net.Analysis.Fi;
using Lucene.Net.Analysis.Fr;
using Lucene.Net.Analysis.Gl;
using Lucene.Net.Analysis.Hi;
using Lucene.Net.Analysis.Hu;
using Lucene.Net.Analysis.Hy;
using Lucene.Net.Analysis.Id;
using Lucene.Net.Analysis.It;
using Lucene.Net.Analysis.Lv;
using Lucene.Net.Analysis.Nl;
using Lucene.Net.Analysis.No;
using Lucene.Net.Analysis.Pt;
using Lucene.Net.Analysis.Ro;
using Lucene.Net.Analysis.Ru;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.Sv;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace Hike.FullText;

/// <summary>
/// The analyzers a <c>:db.fulltext/analyzer</c> can name, each a Lucene.Net 4.8 analyzer with its
/// defaults (<see cref="LuceneVersion.LUCENE_48"/>), so that a text is split into exactly the terms
/// and positions Lucene.Net would index. <c>:standard</c> is <see cref="StandardAnalyzer"/> with its
/// default stop words, Lucene's English set (<c>StopAnalyzer.ENGLISH_STOP_WORDS_SET</c>, 33 words);
/// <c>:english</c> adds possessive removal, Porter stemming and the same stop words. The table is
/// written out, not found by reflection, so the names are a stable part of the schema. Lucene.Net's
/// Brazilian, Greek, Irish and Turkish analyzers are left out: they load the pt-BR, el, ga and tr cultures, which Hike's
/// invariant-globalization build does not have (their type initializers throw).
/// Analyzers are created once and shared: Lucene's analyzers keep their token streams per thread,
/// so <see cref="Analyze"/> is thread-safe.
/// </summary>
internal static class FullTextAnalyzers
{
    /// <summary>The analyzer an attribute gets when its schema names none.</summary>
    public static readonly Keyword Default = Keyword.Intern("standard");

    /// <summary>The field name the analyzers and the query parser see; analysis does not depend on it.</summary>
    public const string FieldName = "v";

    private const LuceneVersion Version = LuceneVersion.LUCENE_48;

    private static readonly FrozenDictionary<string, Lazy<Analyzer>> Table = new Dictionary<string, Lazy<Analyzer>>
    {
        ["standard"] = new(() => new StandardAnalyzer(Version)),
        ["simple"] = new(() => new SimpleAnalyzer(Version)),
        ["whitespace"] = new(() => new WhitespaceAnalyzer(Version)),
        ["english"] = new(() => new EnglishAnalyzer(Version)),
        ["arabic"] = new(() => new ArabicAnalyzer(Version)),
        ["armenian"] = new(() => new ArmenianAnalyzer(Version)),
        ["basque"] = new(() => new BasqueAnalyzer(Version)),
        ["bulgarian"] = new(() => new BulgarianAnalyzer(Version)),
        ["catalan"] = new(() => new CatalanAnalyzer(Version)),
        ["cjk"] = new(() => new CJKAnalyzer(Version)),
        ["czech"] = new(() => new CzechAnalyzer(Version)),
        ["danish"] = new(() => new DanishAnalyzer(Version)),
        ["dutch"] = new(() => new DutchAnalyzer(Version)),
        ["finnish"] = new(() => new FinnishAnalyzer(Version)),
        ["french"] = new(() => new FrenchAnalyzer(Version)),
        ["galician"] = new(() => new GalicianAnalyzer(Version)),
        ["german"] = new(() => new GermanAnalyzer(Version)),
        ["hindi"] = new(() => new HindiAnalyzer(Version)),
        ["hungarian"] = new(() => new HungarianAnalyzer(Version)),
        ["indonesian"] = new(() => new IndonesianAnalyzer(Version)),
        ["italian"] = new(() => new ItalianAnalyzer(Version)),
        ["latvian"] = new(() => new LatvianAnalyzer(Version)),
        ["norwegian"] = new(() => new NorwegianAnalyzer(Version)),
        ["persian"] = new(() => new PersianAnalyzer(Version)),
        ["portuguese"] = new(() => new PortugueseAnalyzer(Version)),
        ["romanian"] = new(() => new RomanianAnalyzer(Version)),
        ["russian"] = new(() => new RussianAnalyzer(Version)),
        ["sorani"] = new(() => new SoraniAnalyzer(Version)),
        ["spanish"] = new(() => new SpanishAnalyzer(Version)),
        ["swedish"] = new(() => new SwedishAnalyzer(Version)),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every name an attribute's schema can give, sorted.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Table.Keys.Order(StringComparer.Ordinal)];

    /// <summary>
    /// The analyzer named <paramref name="name"/> (a keyword without namespace, e.g. <c>:english</c>).
    /// An unknown name is a <c>fulltext/analyzer</c> error listing the known ones.
    /// </summary>
    public static Analyzer Get(Keyword name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Namespace is null && Table.TryGetValue(name.Name, out var analyzer)) return analyzer.Value;
        throw Errors.FullTextAnalyzer(name, Names);
    }

    /// <summary>True when <paramref name="name"/> names an analyzer.</summary>
    public static bool IsKnown(Keyword name) => name.Namespace is null && Table.ContainsKey(name.Name);

    /// <summary>
    /// Splits <paramref name="text"/> into terms, calling <paramref name="sink"/> with each term and
    /// its position. Positions follow Lucene's indexer: a token's position is the sum of the position
    /// increments up to it, minus one, so a removed stop word leaves a gap and a token at increment 0
    /// (a synonym) shares its predecessor's position. Returns the field's statistics as Lucene keeps
    /// them: every token counts towards the total term frequency; the length norm leaves out the
    /// tokens at increment 0 (<c>discountOverlaps</c>).
    /// </summary>
    public static FieldLength Analyze<TSink>(Analyzer analyzer, string text, ref TSink sink)
        where TSink : struct, ITermSink, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(analyzer);
        ArgumentNullException.ThrowIfNull(text);
        using var stream = analyzer.GetTokenStream(FieldName, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var increment = stream.AddAttribute<IPositionIncrementAttribute>();
        stream.Reset();
        int position = -1, tokens = 0, overlaps = 0;
        while (stream.IncrementToken())
        {
            int step = increment.PositionIncrement;
            if (step == 0) overlaps++;
            position += step;
            if (position < 0) position = 0;
            tokens++;
            sink.Add(term.Buffer.AsSpan(0, term.Length), position);
        }
        stream.End();
        return new FieldLength(tokens, tokens - overlaps);
    }
}
