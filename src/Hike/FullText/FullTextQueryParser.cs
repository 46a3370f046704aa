using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Lucene.Net.Analysis;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Lucene.Net.Util;
using LuceneQuery = Lucene.Net.Search.Query;

namespace Hike.FullText;

/// <summary>
/// Parses Lucene's classic query syntax with Lucene.Net 4.8's own <see cref="QueryParser"/> (one
/// fixed field, the attribute's analyzer, default operator OR, as Lucene's defaults) and converts its
/// query tree to <see cref="FullTextQuery"/>. Terms, <c>+must</c>, <c>-not</c>, <c>AND</c>/<c>OR</c>/<c>NOT</c>,
/// <c>"phrases"</c>, <c>prefix*</c> and grouping are supported; anything else (fuzzy <c>~</c>, ranges,
/// wildcards other than one trailing <c>*</c>, phrase slop, boosts, another field) is a
/// <c>fulltext/unsupported</c> error, and text the parser rejects a <c>fulltext/syntax</c> error naming
/// the column Lucene reports (Lucene.Net counts a parse error's column from 0 and a lexical error's
/// from 1; the message gives Lucene's number unchanged, beside Lucene's own words). Thread-safe: a parser is made per call.
/// </summary>
internal static partial class FullTextQueryParser
{
    /// <summary>The query <paramref name="text"/> means, its terms analyzed by <paramref name="analyzer"/>.</summary>
    public static FullTextQuery Parse(string text, Analyzer analyzer)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(analyzer);
        var parser = new QueryParser(LuceneVersion.LUCENE_48, FullTextAnalyzers.FieldName, analyzer);
        LuceneQuery query;
        try
        {
            query = parser.Parse(text);
        }
        catch (ParseException e)
        {
            throw Errors.FullTextSyntax(text, ColumnOf(e.Message), Detail(e.Message), e);
        }
        return Convert(query, text);
    }

    private static FullTextQuery Convert(LuceneQuery query, string text)
    {
        if (query.Boost != 1f) throw Errors.FullTextUnsupported(text, "a boost (^)");
        switch (query)
        {
            case TermQuery term:
                CheckField(term.Term.Field, text);
                return new FullTextTerm(term.Term.Text);
            case PrefixQuery prefix:
                CheckField(prefix.Prefix.Field, text);
                return new FullTextPrefix(prefix.Prefix.Text);
            case PhraseQuery phrase:
                if (phrase.Slop != 0) throw Errors.FullTextUnsupported(text, "phrase slop (~)");
                var terms = phrase.GetTerms();
                var positions = phrase.GetPositions();
                var builder = ImmutableArray.CreateBuilder<string>(terms.Length);
                foreach (var t in terms)
                {
                    CheckField(t.Field, text);
                    builder.Add(t.Text);
                }
                return new FullTextPhrase(builder.MoveToImmutable(), [.. positions]);
            case BooleanQuery boolean:
                if (boolean.MinimumNumberShouldMatch != 0) throw Errors.FullTextUnsupported(text, "a minimum number of optional clauses");
                var clauses = ImmutableArray.CreateBuilder<FullTextClause>(boolean.Clauses.Count);
                foreach (var clause in boolean.Clauses)
                {
                    var occur = clause.Occur switch
                    {
                        Occur.MUST => FullTextOccur.Must,
                        Occur.MUST_NOT => FullTextOccur.MustNot,
                        _ => FullTextOccur.Should,
                    };
                    clauses.Add(new FullTextClause(occur, Convert(clause.Query, text)));
                }
                return new FullTextBoolean(clauses.MoveToImmutable());
            case FuzzyQuery:
                throw Errors.FullTextUnsupported(text, "a fuzzy query (~)");
            case TermRangeQuery:
                throw Errors.FullTextUnsupported(text, "a range query");
            case WildcardQuery:
                throw Errors.FullTextUnsupported(text, "a wildcard other than a trailing *");
            case RegexpQuery:
                throw Errors.FullTextUnsupported(text, "a regular expression query");
            case MatchAllDocsQuery:
                throw Errors.FullTextUnsupported(text, "a match-all query (*:*)");
            case MultiPhraseQuery:
                throw Errors.FullTextUnsupported(text, "a phrase with several terms at one position");
            default:
                throw Errors.FullTextUnsupported(text, $"a {query.GetType().Name}");
        }
    }

    private static void CheckField(string field, string text)
    {
        if (field != FullTextAnalyzers.FieldName) throw Errors.FullTextUnsupported(text, $"a field name ({field}:)");
    }

    /// <summary>The column in Lucene's "at line 1, column N" (or "Lexical error at line 1, column N"), if any.</summary>
    private static int? ColumnOf(string message)
    {
        var m = ColumnPattern().Match(message);
        return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>
    /// Lucene's message without its "Cannot parse '…': " preamble, which repeats the query, and
    /// without the list of tokens it expected (its lines after the first).
    /// </summary>
    private static string Detail(string message)
    {
        const string preamble = "Cannot parse '";
        if (message.StartsWith(preamble, StringComparison.Ordinal))
        {
            int end = message.IndexOf("': ", StringComparison.Ordinal);
            if (end > 0) message = message[(end + 3)..];
        }
        int newline = message.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? message : message[..newline]).Trim();
    }

    [GeneratedRegex(@"column (\d+)")]
    private static partial Regex ColumnPattern();
}
