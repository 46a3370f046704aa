using Hike.Api;
using Hike.Edn;

namespace Hike.Cli.Commands;

/// <summary>Reads of one database: pull, entities, datoms and index ranges, schema, metrics.</summary>
internal static class ReadCommands
{
    private static readonly Keyword IndexKey = Keyword.Intern("index");
    private static readonly Keyword ComponentsKey = Keyword.Intern("components");
    private static readonly Keyword AttrIdKey = Keyword.Intern("attrid");
    private static readonly Keyword StartKey = Keyword.Intern("start");
    private static readonly Keyword EndKey = Keyword.Intern("end");

    public static readonly CommandSpec[] Specs =
    [
        new("pull", "Pull a pattern for one entity. Example: pull db:config.edn '[:db/id :name]' 1", ["db:CONFIG", "pattern", "eid"], PullAsync),
        new("pull-many", "Pull a pattern for several entities. Example: pull-many db:config.edn '[:db/id :name]' '[1 2]'", ["db:CONFIG", "pattern", "eids"], PullManyAsync),
        new("entity", "Print an entity's attributes. Example: entity db:config.edn 1", ["db:CONFIG", "eid"], EntityAsync),
        new("datoms", "Print the datoms of an index matching leading components. Example: datoms db:config.edn '{:index :eavt :components [1]}'", ["db:CONFIG", "{:index :eavt :components [...]}"], DatomsAsync),
        new("seek-datoms", "Print the datoms of an index from the position of the components on. Example: seek-datoms db:config.edn '{:index :avet :components [:name \"B\"]}'", ["db:CONFIG", "{:index ... :components [...]}"], SeekAsync),
        new("rseek-datoms", "As seek-datoms, backwards. Example: rseek-datoms db:config.edn '{:index :eavt :components [10]}'", ["db:CONFIG", "{:index ... :components [...]}"], RSeekAsync),
        new("index-range", "Print the AVET datoms of an attribute with values from start to end. Example: index-range db:config.edn '{:attrid :age :start 20 :end 30}'", ["db:CONFIG", "{:attrid a :start v :end v}"], IndexRangeAsync),
        new("schema", "Print the schema: attribute idents to their definitions. Example: schema db:config.edn", ["db:CONFIG"], SchemaAsync),
        new("reverse-schema", "Print the reverse schema: properties to the attributes that have them. Example: reverse-schema db:config.edn", ["db:CONFIG"], ReverseSchemaAsync),
        new("is-filtered", "Print whether the database is a filtered view (Datahike's is-filtered; a database named on the command line never is). Example: is-filtered db:config.edn", ["db:CONFIG"], IsFilteredAsync),
        new("search", "Full-text search of an attribute marked :db/fulltext true, in Lucene's query syntax; prints [[e value tx score] ...], best first (LIMIT defaults to 10); --highlight adds each value with its matched words marked. Example: search db:config.edn :gloss '\"machine learning\" +model*' 5", ["db:CONFIG", ":attribute", "query", "[LIMIT]"], SearchAsync),
        new("metrics", "Print the database's metrics (counts of datoms, entities, attributes). Example: metrics db:config.edn", ["db:CONFIG"], MetricsAsync),
    ];

    private static Task SearchAsync(CommandRun run)
    {
        run.AtMost(4);
        var db = run.Resolver.Database(run.Arg(0, "a database"));
        var attribute = run.Resolver.Value(run.Arg(1, "an attribute"), "an attribute") as Keyword
            ?? throw CliErrors.Argument($"search needs an attribute keyword such as :gloss, got {run.Arg(1, "an attribute")}");
        string query = run.Arg(2, "a query");
        int limit = run.OptionalArg(3) is { } text
            ? int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n > 0 ? n : throw CliErrors.Argument($"search's LIMIT must be a whole number of at least 1, got {text}")
            : 10;
        if (!run.Options.Highlight)
        {
            var results = db.Search(attribute, query, limit);
            run.Result.Write(EdnVector.From(results.Select(r => (object?)EdnVector.Create(r.Entity, r.Value, r.Tx, r.Score))), ["e", "value", "tx", "score"]);
            return Task.CompletedTask;
        }
        var marked = db.Search(attribute, query, limit, new FullTextHighlight());
        run.Result.Write(EdnVector.From(marked.Select(r => (object?)EdnVector.Create(r.Entity, r.Value, r.Tx, r.Score, r.Highlighted))), ["e", "value", "tx", "score", "highlighted"]);
        return Task.CompletedTask;
    }

    private static Task IsFilteredAsync(CommandRun run)
    {
        run.AtMost(1);
        run.Result.Write(run.Resolver.Database(run.Arg(0, "a database")).IsFiltered);
        return Task.CompletedTask;
    }

    private static Task PullAsync(CommandRun run)
    {
        run.AtMost(3);
        var db = run.Resolver.Database(run.Arg(0, "a database"));
        run.Result.Write(db.Pull(Pattern(run), Eid(run, run.Arg(2, "an entity id"))));
        return Task.CompletedTask;
    }

    private static Task PullManyAsync(CommandRun run)
    {
        run.AtMost(3);
        var db = run.Resolver.Database(run.Arg(0, "a database"));
        var eids = run.Resolver.Value(run.Arg(2, "entity ids"), "entity ids") as IEnumerable<object?>
            ?? throw CliErrors.Argument($"pull-many needs a vector of entity ids, got {run.Arg(2, "entity ids")}");
        run.Result.Write(EdnVector.From(db.PullMany(Pattern(run), eids)));
        return Task.CompletedTask;
    }

    private static Task EntityAsync(CommandRun run)
    {
        run.AtMost(2);
        var db = run.Resolver.Database(run.Arg(0, "a database"));
        var eid = Eid(run, run.Arg(1, "an entity id"));
        run.Result.Write(db.Entity(eid) ?? throw CliErrors.EntityIdMissing(eid));
        return Task.CompletedTask;
    }

    private static Task DatomsAsync(CommandRun run) => Index(run, (db, index, components) => db.Datoms(index, components));

    private static Task SeekAsync(CommandRun run) => Index(run, (db, index, components) => db.SeekDatoms(index, components));

    private static Task RSeekAsync(CommandRun run) => Index(run, (db, index, components) => db.RSeekDatoms(index, components));

    private static Task IndexRangeAsync(CommandRun run)
    {
        run.AtMost(2);
        var db = run.Resolver.Database(run.Arg(0, "a database"));
        var args = ArgMap(run, 1, "{:attrid a :start v :end v}");
        var attribute = args.Get(AttrIdKey) as Keyword ?? throw CliErrors.Argument($"index-range needs :attrid, a keyword, in {EdnPrinter.Print(args)}");
        run.Result.Write(db.IndexRange(attribute, args.Get(StartKey), args.Get(EndKey)).ToList());
        return Task.CompletedTask;
    }

    private static Task SchemaAsync(CommandRun run) => Whole(run, db => db.Schema());

    private static Task ReverseSchemaAsync(CommandRun run) => Whole(run, db => db.ReverseSchema());

    private static Task MetricsAsync(CommandRun run) => Whole(run, db => db.Metrics());

    private static Task Whole(CommandRun run, Func<Database, object?> read)
    {
        run.AtMost(1);
        run.Result.Write(read(run.Resolver.Database(run.Arg(0, "a database"))));
        return Task.CompletedTask;
    }

    private static Task Index(CommandRun run, Func<Database, Hike.Db.IndexType, object?[], IEnumerable<Datom>> read)
    {
        run.AtMost(2);
        var db = run.Resolver.Database(run.Arg(0, "a database"));
        var args = ArgMap(run, 1, "{:index :eavt :components [...]}");
        var index = (args.Get(IndexKey) as Keyword)?.FullName switch
        {
            "eavt" => Hike.Db.IndexType.Eavt,
            "aevt" => Hike.Db.IndexType.Aevt,
            "avet" => Hike.Db.IndexType.Avet,
            _ => throw CliErrors.Argument($"{run.Command} needs :index :eavt, :aevt or :avet in {EdnPrinter.Print(args)}"),
        };
        var components = args.Get(ComponentsKey) switch
        {
            null => [],
            IEnumerable<object?> listed => listed.ToArray(),
            var other => throw CliErrors.Argument($":components should be a vector, got {EdnPrinter.Print(other)}"),
        };
        run.Result.Write(read(db, index, components).ToList());
        return Task.CompletedTask;
    }

    private static EdnMap ArgMap(CommandRun run, int index, string form) =>
        run.Resolver.Value(run.Arg(index, form), form) as EdnMap ?? throw CliErrors.Argument($"{run.Command} needs a map {form}, got {run.Arguments[index]}");

    private static object Pattern(CommandRun run) =>
        run.Resolver.Value(run.Arg(1, "a pull pattern"), "a pull pattern") ?? throw CliErrors.Argument("The pull pattern is nil");

    private static object Eid(CommandRun run, string text) =>
        run.Resolver.Value(text, "an entity id") ?? throw CliErrors.Argument("The entity id is nil");
}
