namespace Hike.Storage;

/// <summary>A file store's folder (the <c>:file</c> backend), named in messages by the path as the caller gave it.</summary>
internal sealed class FileStoreLocation(string givenPath, string fullPath) : IStoreLocation
{
    public string Key => fullPath;

    public string Description => $":file {Errors.Show(givenPath)}";

    public bool MayExist() => Directory.Exists(fullPath);

    public IKeyValueStore Open() => new FileStore(fullPath);

    public void Vacate(IKeyValueStore store, IReadOnlyList<string> keyFolders) => ((FileStore)store).Vacate(keyFolders);
}
