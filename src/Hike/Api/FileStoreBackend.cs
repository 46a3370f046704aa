using Hike.Storage;

namespace Hike.Api;

/// <summary>The <c>:file</c> backend: a store in a folder, <c>:store :path</c>.</summary>
internal sealed class FileStoreBackend : IStoreBackend
{
    public static readonly FileStoreBackend Instance = new();

    public string Kind => "file";

    public IStoreLocation Locate(StoreConfig store)
    {
        var path = store.Path ?? throw Errors.Config(":store :path is required for the :file backend");
        if (string.IsNullOrWhiteSpace(path)) throw Errors.Config($":store :path {Errors.Show(path)} names no folder");
        try
        {
            return new FileStoreLocation(path, Path.GetFullPath(path));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw Errors.Config($":store :path {Errors.Show(path)} is not a valid folder path: {e.Message}");
        }
    }
}
