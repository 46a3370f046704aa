using Hike.Edn;
using Hike.Transactions;

namespace Hike.Api;

/// <summary>
/// Schema migrations as Datahike's <c>datahike.norm.norm</c>: a folder of norm files (<c>*.edn</c>, in
/// subfolders too), each applied to a database exactly once, in the order of their ids, and a
/// <c>checksums.edn</c> that catches a norm changed after it was written down. Each applied norm is an
/// entity with <c>:tx/norm</c> its id, transacted together with the norm's data, so a norm is either
/// wholly applied and marked or not at all. Stateless and thread-safe; concurrent
/// <c>EnsureNorms</c> calls on one database may both apply a norm neither saw applied (as Datahike).
/// </summary>
public static partial class Norms
{
    /// <summary>The name of the checksums file in a norms folder, never itself a norm.</summary>
    public const string ChecksumsFile = "checksums.edn";

    internal static readonly Keyword TxDataKey = Keyword.Intern("tx-data");
    internal static readonly Keyword TxFnKey = Keyword.Intern("tx-fn");
    private static readonly Keyword NormAttribute = Keyword.Intern("tx/norm");

    /// <summary>The function Datahike's own example norms name for "no function": accepted, and calls nothing.</summary>
    private static readonly Symbol NeutralFn = Symbol.Intern("datahike.norm.norm/neutral-fn");

    private static readonly string NormSchema =
        "[{:db/ident :tx/norm :db/valueType :db.type/keyword :db/cardinality :db.cardinality/one}]";

    private const string InstalledQuery = "[:find ?e . :in $ ?norm :where [?e :tx/norm ?norm]]";

    /// <summary>
    /// The id of the norm in the file <paramref name="fileName"/>: the name, extension included, with
    /// spaces as dashes (<c>"02 add occupation.edn"</c> → <c>:02-add-occupation.edn</c>), as Datahike's
    /// <c>filename-&gt;keyword</c>.
    /// </summary>
    public static Keyword NormId(string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        return Keyword.Intern(fileName.Replace(' ', '-'));
    }

    /// <summary>
    /// Reads every norm file in <paramref name="folder"/> and its subfolders (<c>*.edn</c> but
    /// <c>checksums.edn</c>), sorted by id. O(total size of the files).
    /// </summary>
    /// <exception cref="HikeException"><c>norm/missing</c> when the folder does not exist; <c>norm/invalid</c> or <c>edn/syntax</c>, naming the file, when one is not a norm; <c>norm/invalid</c> when two files have one id.</exception>
    public static IReadOnlyList<Norm> ReadFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var norms = new List<(Norm Norm, string Path)>();
        foreach (var path in NormFiles(folder)) norms.Add((Parse(Path.GetFileName(path), File.ReadAllText(path), path), path));
        norms.Sort((a, b) => string.CompareOrdinal(a.Norm.Id.FullName, b.Norm.Id.FullName));
        for (int i = 1; i < norms.Count; i++)
        {
            // DATAHIKE: Datahike applies both files of one name in different subfolders and keeps one checksum; Hike refuses.
            if (norms[i].Norm.Id == norms[i - 1].Norm.Id) throw Errors.NormInvalid($"{norms[i - 1].Path} and {norms[i].Path} have the same norm id {norms[i].Norm.Id}");
        }
        return norms.ConvertAll(n => n.Norm);
    }

    /// <summary>
    /// Reads the norm in <paramref name="text"/>, the content of the file <paramref name="fileName"/>:
    /// a map with <c>:tx-data</c> (a vector) and <c>:tx-fn</c> (a symbol), either of them optional.
    /// </summary>
    /// <exception cref="HikeException"><c>edn/syntax</c> or <c>norm/invalid</c>, naming the file.</exception>
    public static Norm Parse(string fileName, string text) => Parse(fileName, text, fileName);

    private static Norm Parse(string fileName, string text, string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(text);
        object? content;
        try
        {
            content = EdnReader.Read(text);
        }
        catch (HikeException e)
        {
            throw Errors.InContext(e, $"{source}: {e.Message}");
        }
        if (content is not EdnMap map) throw Errors.NormInvalid($"{source}: a norm is a map {{:tx-data [...] :tx-fn sym}}, not {Errors.Show(content)}");
        IReadOnlyList<object?>? txData = null;
        Symbol? txFn = null;
        foreach (var (key, value) in map.Entries)
        {
            if (key == TxDataKey)
            {
                // As Datahike's spec (::tx-data vector?).
                txData = value as EdnVector ?? throw Errors.NormInvalid($"{source}: :tx-data must be a vector, not {Errors.Show(value)}");
            }
            else if (key == TxFnKey)
            {
                txFn = value as Symbol ?? throw Errors.NormInvalid($"{source}: :tx-fn must be a symbol naming a registered transaction function, not {Errors.Show(value)}");
            }
            else
            {
                // DATAHIKE: Datahike's spec lets other keys through unread; Hike refuses them, so a misspelt :tx-data is not a norm that does nothing.
                throw Errors.NormInvalid($"{source}: unknown key {Errors.Show(key)} in a norm, expected :tx-data and :tx-fn");
            }
        }
        return new Norm(NormId(fileName), txData, txFn);
    }

    /// <summary>
    /// Applies every norm in <paramref name="folder"/> (see <see cref="ReadFolder"/>) that the database
    /// has not applied yet, in the order of their ids, each in one transaction with the entity
    /// <c>{:tx/norm id}</c>; installs the attribute <c>:tx/norm</c> first when the schema lacks it.
    /// Does not verify the checksums: call <see cref="VerifyChecksums"/> first. Returns the ids applied
    /// now (empty when all were applied before).
    /// </summary>
    /// <exception cref="HikeException">
    /// As <see cref="ReadFolder"/>, before anything is applied; <c>norm/invalid</c> when a norm to apply
    /// names a <c>:tx-fn</c> the database's <see cref="FunctionRegistry"/> lacks, before anything is
    /// applied; when a norm's transaction fails, its error with the norm's id: the norms before it stay
    /// applied, it and those after it are not.
    /// </exception>
    public static Task<IReadOnlyList<Keyword>> EnsureNormsAsync(Connection conn, string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conn);
        return EnsureCore(conn, ReadFolder(folder), async: true, cancellationToken);
    }

    /// <summary>
    /// As <see cref="EnsureNormsAsync(Connection, string, CancellationToken)"/> for norms built in
    /// memory, applied in the order given.
    /// </summary>
    public static Task<IReadOnlyList<Keyword>> EnsureNormsAsync(Connection conn, IEnumerable<Norm> norms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conn);
        return EnsureCore(conn, Distinct(norms), async: true, cancellationToken);
    }

    /// <summary>As <see cref="EnsureNormsAsync(Connection, string, CancellationToken)"/>, blocking.</summary>
    public static IReadOnlyList<Keyword> EnsureNorms(Connection conn, string folder)
    {
        ArgumentNullException.ThrowIfNull(conn);
        return EnsureCore(conn, ReadFolder(folder), async: false, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>As <see cref="EnsureNormsAsync(Connection, IEnumerable{Norm}, CancellationToken)"/>, blocking.</summary>
    public static IReadOnlyList<Keyword> EnsureNorms(Connection conn, IEnumerable<Norm> norms)
    {
        ArgumentNullException.ThrowIfNull(conn);
        return EnsureCore(conn, Distinct(norms), async: false, CancellationToken.None).GetAwaiter().GetResult();
    }

    private static List<Norm> Distinct(IEnumerable<Norm> norms)
    {
        ArgumentNullException.ThrowIfNull(norms);
        var list = new List<Norm>();
        var seen = new HashSet<Keyword>();
        foreach (var norm in norms)
        {
            ArgumentNullException.ThrowIfNull(norm, nameof(norms));
            if (!seen.Add(norm.Id)) throw Errors.NormInvalid($"Two norms have the id {norm.Id}");
            list.Add(norm);
        }
        return list;
    }

    private static async Task<IReadOnlyList<Keyword>> EnsureCore(Connection conn, IReadOnlyList<Norm> norms, bool async, CancellationToken cancellationToken)
    {
        if (!conn.Db.Schema().ContainsKey(NormAttribute)) await Transact(conn, NormSchema, async, cancellationToken).ConfigureAwait(false);
        // Every function a pending norm names is looked up before the first is applied, so a missing one applies nothing.
        var pending = new List<(Norm Norm, Keyword? Fn)>();
        foreach (var norm in norms)
        {
            if (Installed(conn.Db, norm.Id)) continue;
            Keyword? fn = null;
            if (norm.TxFn is { } symbol && symbol != NeutralFn)
            {
                fn = Keyword.Intern(symbol.Namespace, symbol.Name);
                if (!((ITxCallbacks)conn.Config.Functions).TryGetFunction(fn, out _))
                {
                    throw Errors.NormInvalid($"Norm {norm.Id} names the transaction function {symbol}, which is not registered (register it as {fn} in the database's FunctionRegistry)");
                }
            }
            pending.Add((norm, fn));
        }
        var applied = new List<Keyword>();
        foreach (var (norm, fn) in pending)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Installed(conn.Db, norm.Id)) continue;
            var txData = new List<object?>(1 + (norm.TxData?.Count ?? 0) + 1) { EdnMap.Of(NormAttribute, norm.Id) };
            if (norm.TxData is not null) txData.AddRange(norm.TxData);
            // DATAHIKE: Datahike calls the tx-fn with the connection before transacting and appends what it
            // returns; Hike calls it inside the norm's transaction, after the norm's tx-data, so what it reads
            // and what it writes are one atomic step.
            if (fn is not null) txData.Add(EdnVector.Create(fn));
            try
            {
                await Transact(conn, txData, async, cancellationToken).ConfigureAwait(false);
            }
            catch (HikeException e)
            {
                throw Errors.InContext(e, $"Norm {norm.Id} failed, so it and the norms after it are not applied: {e.Message}");
            }
            applied.Add(norm.Id);
        }
        return applied;
    }

    private static async Task Transact(Connection conn, object txData, bool async, CancellationToken cancellationToken)
    {
        if (async) await conn.TransactAsync(txData, cancellationToken: cancellationToken).ConfigureAwait(false);
        else conn.Transact(txData);
    }

    private static bool Installed(Database db, Keyword id) => db.Q(InstalledQuery, id) is not null;

    /// <summary>The norm files of <paramref name="folder"/> and its subfolders, in no particular order.</summary>
    private static IEnumerable<string> NormFiles(string folder)
    {
        if (!Directory.Exists(folder)) throw Errors.NormMissing($"Norms folder {folder}");
        // DATAHIKE: Datahike skips every file whose name ends in checksums.edn; Hike only the checksums file itself.
        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".edn", StringComparison.Ordinal) && Path.GetFileName(p) != ChecksumsFile);
    }
}
