namespace Hike.Cli.Inputs;

/// <summary>Files named on the command line, read whole; one that is missing or unreadable is a <c>cli/file</c> error naming it.</summary>
internal static class InputFiles
{
    public static byte[] ReadBytes(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
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
