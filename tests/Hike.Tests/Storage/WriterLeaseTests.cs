using Hike.Storage;

namespace Hike.Tests.Storage;

/// <summary>The writer lease of networked stores, on a record in memory and a clock the test moves.</summary>
public sealed class WriterLeaseTests
{
    private static readonly TimeSpan Duration = TimeSpan.FromMinutes(10);

    private DateTimeOffset _now = DateTimeOffset.UnixEpoch.AddDays(20000);

    [Fact]
    public void A_running_lease_refuses_a_second_writer_and_renewing_keeps_it_running()
    {
        var cell = new Cell();
        using var first = Acquire(cell);

        Assert.Equal(ErrorCodes.DbWriterLocked, Assert.Throws<HikeException>(() => Acquire(cell)).Code);
        _now += Duration * 0.9;
        first.Renew();
        _now += Duration * 0.9;
        Assert.True(first.IsHeld);
        Assert.Equal(ErrorCodes.DbWriterLocked, Assert.Throws<HikeException>(() => Acquire(cell)).Code);
    }

    [Fact]
    public void An_expired_lease_is_taken_over_and_its_old_holder_can_no_longer_write()
    {
        var cell = new Cell();
        var crashed = Acquire(cell);
        _now += Duration + TimeSpan.FromSeconds(1);

        using var next = Acquire(cell);
        crashed.Renew();

        Assert.False(crashed.IsHeld);
        Assert.Equal(ErrorCodes.DbWriterConflict, Assert.Throws<HikeException>(crashed.ThrowIfLost).Code);
        // Giving up a lost lease leaves the new holder's record alone.
        crashed.Dispose();
        Assert.True(next.IsHeld);
        Assert.Equal(ErrorCodes.DbWriterLocked, Assert.Throws<HikeException>(() => Acquire(cell)).Code);
    }

    [Fact]
    public void A_lease_that_could_not_be_renewed_in_time_is_lost_even_if_nobody_took_it()
    {
        var cell = new Cell();
        using var lease = Acquire(cell);
        cell.Down = true;
        lease.Renew();
        Assert.True(lease.IsHeld);

        _now += Duration;
        cell.Down = false;
        lease.Renew();

        Assert.False(lease.IsHeld);
        Assert.Throws<HikeException>(lease.ThrowIfLost);
    }

    [Fact]
    public void Releasing_a_lease_frees_the_store_at_once()
    {
        var cell = new Cell();
        Acquire(cell).Dispose();
        Assert.Null(cell.Value);
        using var next = Acquire(cell);
        Assert.True(next.IsHeld);
    }

    [Fact]
    public void A_lease_whose_holder_was_a_process_of_this_machine_that_has_ended_is_taken_at_once()
    {
        Assert.NotEqual("", WriterLease.Machine);
        using var ended = System.Diagnostics.Process.Start("true")!;
        ended.WaitForExit();
        using var running = System.Diagnostics.Process.Start("sleep", "30")!;
        var far = _now + TimeSpan.FromDays(1);
        string Record(int pid, string machine) => $"holder {far.ToUnixTimeMilliseconds()} {machine} {pid}";

        var dead = new Cell(Record(ended.Id, WriterLease.Machine));
        var alive = new Cell(Record(running.Id, WriterLease.Machine));
        var elsewhere = new Cell(Record(ended.Id, "another-boot/1"));

        using (var taken = Acquire(dead)) Assert.True(taken.IsHeld);
        Assert.Equal(ErrorCodes.DbWriterLocked, Assert.Throws<HikeException>(() => Acquire(alive)).Code);
        Assert.Equal(ErrorCodes.DbWriterLocked, Assert.Throws<HikeException>(() => Acquire(elsewhere)).Code);
        running.Kill();
    }

    [Fact]
    public void A_stores_writer_lease_ms_is_at_least_a_second()
    {
        Assert.Equal(WriterLease.DefaultDuration, WriterLease.DurationOf(null));
        Assert.Equal(TimeSpan.FromSeconds(2), WriterLease.DurationOf(2000));
        Assert.Equal(ErrorCodes.ConfigInvalid, Assert.Throws<HikeException>(() => WriterLease.DurationOf(500)).Code);
    }

    private WriterLease Acquire(Cell cell) => WriterLease.Acquire(cell, "the test store", Duration, () => _now);

    private sealed class Cell(string? record = null) : ILeaseCell
    {
        public byte[]? Value { get; private set; } = record is null ? null : System.Text.Encoding.UTF8.GetBytes(record);

        public bool Down { get; set; }

        public byte[]? Read() => Value;

        public bool CompareAndSet(byte[]? expected, byte[]? value)
        {
            if (Down) throw new IOException("the store is unreachable");
            if (!(expected is null ? Value is null : Value is not null && expected.AsSpan().SequenceEqual(Value))) return false;
            Value = value;
            return true;
        }
    }
}
