using Hike.Edn;
using Hike.Query.Syntax;

namespace Hike.Query.Execution;

/// <summary>Everything one run of a query shares: its sources, rules, the rule results computed so far and, when explaining, the plan. Single-threaded.</summary>
internal sealed class QueryContext
{
    public static readonly Symbol DefaultSource = Symbol.Intern("$");

    /// <summary>The default source of clauses run where <c>$</c> is not given; never read.</summary>
    private static readonly QuerySource Absent = new AbsentSource();

    public QueryContext(Dictionary<Symbol, QuerySource> sources, RuleSet rules, List<PlanStep>? plan)
    {
        Sources = sources;
        Rules = rules;
        Plan = plan;
    }

    public Dictionary<Symbol, QuerySource> Sources { get; }

    public RuleSet Rules { get; }

    /// <summary>The executed steps, when the run is explained; null otherwise.</summary>
    public List<PlanStep>? Plan { get; }

    /// <summary>Answers of literal-only data patterns, reused within this run.</summary>
    public ScanCache Scans { get; } = new();

    /// <summary>Results of recursive rules, computed once per run, by rule name and the source they read.</summary>
    public Dictionary<(Symbol Rule, QuerySource Source), Relation> RuleResults { get; } = [];

    /// <summary>
    /// The source <paramref name="name"/> names, or when null the default one: the source named by an
    /// enclosing rule call, <c>not</c> or <c>or</c>, else <c>$</c>.
    /// </summary>
    public QuerySource Source(Symbol? name, QuerySource? defaultSource, object clause)
    {
        if (name is null && defaultSource is not null && defaultSource != Absent) return defaultSource;
        name ??= DefaultSource;
        return Sources.TryGetValue(name, out var source)
            ? source
            : throw Errors.QueryWhere($"There is no source {name} for {Errors.Show(clause)}; sources are given in :in");
    }

    /// <summary>
    /// The default source for the clauses inside <paramref name="clause"/> (an <c>or</c>, <c>not</c> or
    /// rule call): the source it names, else the enclosing default, else <c>$</c>. When there is no
    /// <c>$</c>, a stand-in that <see cref="Source"/> reports as missing only where a clause reads it:
    /// as in Datahike, a body that reads only named sources, or none, runs without <c>$</c>.
    /// </summary>
    public QuerySource Scope(Symbol? name, QuerySource? defaultSource, object clause)
    {
        if (name is not null) return Source(name, defaultSource, clause);
        return defaultSource ?? Sources.GetValueOrDefault(DefaultSource) ?? Absent;
    }

    private sealed class AbsentSource : QuerySource
    {
        public override object? Value => null;
    }
}
