using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

#if FILE_STORE
[assembly: TestFramework("Hike.Tests.TestRunEnd", "Hike.Tests.FileStore")]
#elif POSTGRES_STORE
[assembly: TestFramework("Hike.Tests.TestRunEnd", "Hike.Tests.Postgres")]
#elif S3_STORE
[assembly: TestFramework("Hike.Tests.TestRunEnd", "Hike.Tests.S3")]
#else
[assembly: TestFramework("Hike.Tests.TestRunEnd", "Hike.Tests")]
#endif

namespace Hike.Tests;

/// <summary>
/// xUnit's own framework, which also removes the tests' databases when the last test has run, before
/// the runner hears that the run is over: once it has, the test host may be ended at any moment, exit
/// handlers and all.
/// </summary>
public sealed class TestRunEnd(IMessageSink sink) : XunitTestFramework(sink)
{
    /// <inheritdoc />
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName name, ISourceInformationProvider sourceInformation, IMessageSink diagnostics)
        : XunitTestFrameworkExecutor(name, sourceInformation, diagnostics)
    {
        protected override void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions) =>
            base.RunTestCases(testCases, new CleanupBeforeFinish(executionMessageSink), executionOptions);
    }

    /// <summary>Passes every message on, deleting the test databases just before the assembly's last.</summary>
    private sealed class CleanupBeforeFinish(IMessageSink inner) : LongLivedMarshalByRefObject, IMessageSink
    {
        public bool OnMessage(IMessageSinkMessage message)
        {
            if (message is ITestAssemblyFinished) TestBackend.DeleteRoot();
            return inner.OnMessage(message);
        }
    }
}
