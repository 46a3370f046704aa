using System.Text;
using Hike.Api;
using Hike.Cli.Inputs;
using Hike.Cli.Output;
using Hike.Db;
using Hike.Edn;

namespace Hike.Cli.Commands;

/// <summary>
/// Datom streams in and out: <c>load-entities</c> (dthk's), <c>export</c> and <c>import</c>, which
/// move a database with its history, one source transaction per transaction, through a file of
/// one datom per line. A load or import that was interrupted is finished by running it again on
/// the same input: it skips what was committed and prints how many transactions it skipped.
/// </summary>
internal static class DatomStreamCommands
{
    private static readonly Keyword DatomsKey = Keyword.Intern("datoms");

    public static readonly CommandSpec[] Specs =
    [
        new("load-entities", "Load datoms [e a v tx added] exported from another database, one transaction per source transaction (ids are mapped, instants and metadata kept); prints the counts. Example: load-entities conn:config.edn edn:datoms.edn", ["conn:CONFIG", "DATA (edn:FILE, json:FILE or a vector of datoms)"], LoadEntitiesAsync),
        new("export", "Write the database's history (or its current datoms when it keeps none) in transaction order, one datom [e :a v tx added] per line: JSON lines when FILE ends in .json or .jsonl, else EDN; - writes to standard output. Example: export db:config.edn backup.edn", ["db:CONFIG", "FILE"], ExportAsync),
        new("import", "Load a file written by export or datoms (EDN, or JSON lines for .json/.jsonl or --input-format json; - reads standard input) with load-entities; prints the counts. Run again after an interruption, it continues where the last run stopped. Also loads a Datahike dump: the directory export-db writes (manifest.edn and chunks, every checksum checked before anything is loaded) or an old single-file .cbor dump, into an empty database. Example: import conn:config.edn backup.edn", ["conn:CONFIG", "FILE or DIR"], ImportAsync),
    ];

    private static async Task LoadEntitiesAsync(CommandRun run)
    {
        run.AtMost(2);
        var connection = run.Resolver.Connection(run.Arg(0, "a connection conn:CONFIG"));
        var argument = run.Arg(1, "the datoms (edn:FILE, json:FILE or a vector of [e a v tx added])");
        bool prefixed = argument.StartsWith("edn:", StringComparison.Ordinal) || argument.StartsWith("json:", StringComparison.Ordinal);
        bool json = argument.StartsWith("json:", StringComparison.Ordinal) || (!prefixed && IsJsonInput(run));
        var data = json && !prefixed ? JsonValues.Parse(argument, "the datoms argument") : run.Resolver.Value(argument, "datoms");
        if (data is not IEnumerable<object?> datoms || data is string || data is EdnMap)
        {
            throw CliErrors.Argument($"load-entities needs a vector of datoms [e a v tx added], got {EdnPrinter.Print(data)}");
        }
        if (json)
        {
            var types = new JsonDatomTypes(connection.Db);
            datoms = datoms.Select(types.Convert);
        }
        var report = await WriteCommands.WithWriterLock(run, () => connection.LoadEntitiesAsync(datoms, null, run.Cancellation)).ConfigureAwait(false);
        run.Result.Write(report.ToEdn());
    }

    private static async Task ImportAsync(CommandRun run)
    {
        run.AtMost(2);
        var connection = run.Resolver.Connection(run.Arg(0, "a connection conn:CONFIG"));
        var path = run.Arg(1, "a FILE written by export (- for standard input) or a Datahike dump DIR");
        if (path != "-" && (Directory.Exists(path) || path.EndsWith(".cbor", StringComparison.OrdinalIgnoreCase)))
        {
            run.Result.Write((await ImportDatahikeDump(run, connection, path).ConfigureAwait(false)).ToEdn());
            return;
        }
        bool json = IsJsonInput(run) || (path != "-" && DatomLines.IsJsonPath(path));
        var types = json ? new JsonDatomTypes(connection.Db) : null;
        LoadReport report;
        if (path == "-")
        {
            var progress = ProgressBar.ForTerminal(run.Errors, "import", _ => null);
            report = await Load(run, connection, DatomLines.Read(run.Input, "standard input", types), progress).ConfigureAwait(false);
        }
        else
        {
            using var file = OpenRead(path);
            using var reader = StrictUtf8.Reader(file, path);
            long length = Math.Max(file.Length, 1);
            var progress = ProgressBar.ForTerminal(run.Errors, "import", _ => (double)file.Position / length);
            report = await Load(run, connection, DatomLines.Read(reader, path, types), progress).ConfigureAwait(false);
        }
        run.Result.Write(report.ToEdn());
    }

    /// <summary>A Datahike dump (a directory with manifest.edn, or an old single-file .cbor dump), loaded by the engine after it checked all of it.</summary>
    private static async Task<LoadReport> ImportDatahikeDump(CommandRun run, Connection connection, string path)
    {
        var progress = ProgressBar.ForTerminal(run.Errors, "import", _ => null);
        try
        {
            return await WriteCommands.WithWriterLock(run, () => connection.ImportDatahikeDumpAsync(path, progress, run.Cancellation)).ConfigureAwait(false);
        }
        finally
        {
            progress?.Finish();
        }
    }

    private static async Task<LoadReport> Load(CommandRun run, Connection connection, IEnumerable<object?> datoms, ProgressBar? progress)
    {
        try
        {
            return await WriteCommands.WithWriterLock(run, () => connection.LoadEntitiesAsync(datoms, progress, run.Cancellation)).ConfigureAwait(false);
        }
        finally
        {
            progress?.Finish();
        }
    }

    private static Task ExportAsync(CommandRun run)
    {
        run.AtMost(2);
        var db = run.Resolver.Database(run.Arg(0, "a database db:CONFIG or history:CONFIG"));
        var path = run.Arg(1, "an output FILE (- for standard output)");
        if (!db.IsHistory && db.KeepsHistory) db = db.History();
        // No index is ordered by transaction; sorting (stably, so each transaction keeps index order) needs them all in memory.
        var datoms = db.Datoms(IndexType.Eavt).OrderBy(d => d.Tx).ToList();
        bool json = path == "-" ? run.Result.Format == OutputFormat.Json : DatomLines.IsJsonPath(path);
        var progress = ProgressBar.ForTerminal(run.Errors, "export", count => datoms.Count == 0 ? 1 : (double)count / datoms.Count);
        if (path == "-")
        {
            Write(run, datoms, json, run.Result.WriteText, progress);
            return Task.CompletedTask;
        }
        // Written beside the target and renamed over it at the end, so a failed export leaves no half file.
        var partial = path + ".partial";
        try
        {
            using (var writer = new StreamWriter(partial, append: false, new UTF8Encoding(false), bufferSize: 1 << 16))
            {
                Write(run, datoms, json, writer.WriteLine, progress);
            }
            File.Move(partial, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliErrors.File(path, e is DirectoryNotFoundException ? "no such directory" : e.Message);
        }
        finally
        {
            // Gone after the rename; left by a failure or a cancellation otherwise.
            if (File.Exists(partial)) File.Delete(partial);
        }
        run.Result.Write(EdnMap.Of(DatomsKey, (long)datoms.Count));
        return Task.CompletedTask;
    }

    private static void Write(CommandRun run, List<Datom> datoms, bool json, Action<string> writeLine, ProgressBar? progress)
    {
        var buffer = new StringBuilder();
        try
        {
            for (int i = 0; i < datoms.Count; i++)
            {
                if ((i & 4095) == 0)
                {
                    run.Cancellation.ThrowIfCancellationRequested();
                    progress?.Report(i);
                }
                writeLine(DatomLines.Format(datoms[i], json, buffer));
            }
            progress?.Report(datoms.Count);
        }
        finally
        {
            progress?.Finish();
        }
    }

    private static bool IsJsonInput(CommandRun run) => run.Options.InputFormat.ToLowerInvariant() switch
    {
        "json" => true,
        "edn" => false,
        _ => throw CliErrors.Format($"Unknown input format {run.Options.InputFormat}; use edn or json"),
    };

    private static FileStream OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw CliErrors.File(path, "no such file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliErrors.File(path, e.Message);
        }
    }
}
