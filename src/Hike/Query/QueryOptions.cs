using Hike.Edn;

namespace Hike.Query;

/// <summary>The extras of Datahike's call form <c>{:query q :args [...] :offset n :limit n :order-by [...] :timeout ms}</c>. Immutable.</summary>
internal sealed record QueryOptions(long Offset, long? Limit, IReadOnlyList<(object Key, bool Descending)> OrderBy)
{
    public static readonly QueryOptions None = new(0, null, []);

    /// <summary>The query's own timeout (<c>:timeout</c>, milliseconds), if it gives one.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The query's own bound on a relation's rows (<c>:max-rows</c>), if it gives one.</summary>
    public long? MaxRows { get; init; }

    private static readonly Keyword Asc = Keyword.Intern("asc");
    private static readonly Keyword Desc = Keyword.Intern("desc");

    public bool Ordered => OrderBy.Count > 0 || Offset > 0 || Limit is not null;

    /// <summary>Reads <c>:order-by</c>: find variables or column indexes, each optionally followed by <c>:asc</c> or <c>:desc</c>.</summary>
    public static IReadOnlyList<(object, bool)> ParseOrderBy(object? form)
    {
        if (form is null) return [];
        var items = Syntax.Forms.Items(form) ?? [form];
        var result = new List<(object, bool)>();
        for (int i = 0; i < items.Length; i++)
        {
            if (Syntax.Forms.Items(items[i]) is { } pair)
            {
                result.AddRange(ParseOrderBy(EdnVector.Create(pair)));
                continue;
            }
            var key = items[i];
            if (key is not Symbol && (key is null || !Numbers.IsIntegral(key)))
            {
                throw Errors.Parser(ErrorCodes.ParserQuery, $"Cannot parse :order-by, expected find variables or column indexes, got {Errors.Show(key)}");
            }
            bool desc = false;
            if (i + 1 < items.Length && (items[i + 1] == (object)Asc || items[i + 1] == (object)Desc))
            {
                desc = items[i + 1] == (object)Desc;
                i++;
            }
            result.Add((Numbers.IsIntegral(key) ? Numbers.ToLongUnchecked(key) : key, desc));
        }
        return result;
    }
}
