using TaobaoAlliance.Application.Cluster;

namespace TaobaoAlliance.Application.Tests.Cluster;

/// <summary>Calls to one key that arrive while the most allowed are out go together in the next call, in order.</summary>
public sealed class CallCoalescerTests
{
    /// <summary>A send that the test answers by hand, recording what each call carried.</summary>
    private sealed class HeldSends
    {
        public List<(string Key, int[] Items, TaskCompletionSource<int[]> Answer)> Calls { get; } = [];

        public Task<int[]> SendAsync(string key, int[] items)
        {
            var answer = new TaskCompletionSource<int[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (Calls) Calls.Add((key, items, answer));
            return answer.Task;
        }

        public void Answer(int call) => Calls[call].Answer.SetResult([.. Calls[call].Items.Select(i => i * 10)]);

        public async Task UntilCallsAsync(int count)
        {
            // The next call starts on the answered call's continuation: a moment later, on the thread pool.
            for (var i = 0; i < 500 && Count() < count; i++) await Task.Delay(10);
            Count().Should().Be(count);
        }

        private int Count() { lock (Calls) return Calls.Count; }
    }

    [Fact]
    public async Task The_first_call_goes_at_once_and_those_that_arrive_while_it_is_out_go_together_next()
    {
        var sends = new HeldSends();
        var coalescer = new CallCoalescer<string, int, int>(sends.SendAsync, maxOutstanding: 1);

        var first = coalescer.CallAsync("a", 1);
        var waiting = new[] { coalescer.CallAsync("a", 2), coalescer.CallAsync("a", 3), coalescer.CallAsync("a", 4) };
        var otherKey = coalescer.CallAsync("b", 5);

        sends.Calls.Select(c => (c.Key, c.Items.Length)).Should().Equal(("a", 1), ("b", 1));
        sends.Answer(0);
        (await first).Should().Be(10);
        await sends.UntilCallsAsync(3);
        sends.Calls[2].Items.Should().Equal(2, 3, 4);
        sends.Answer(2);
        (await Task.WhenAll(waiting)).Should().Equal(20, 30, 40);
        sends.Answer(1);
        (await otherKey).Should().Be(50);
    }

    [Fact]
    public async Task Up_to_the_most_outstanding_go_at_once()
    {
        var sends = new HeldSends();
        var coalescer = new CallCoalescer<string, int, int>(sends.SendAsync, maxOutstanding: 2);

        var calls = Enumerable.Range(1, 4).Select(i => coalescer.CallAsync("a", i)).ToList();

        sends.Calls.Select(c => string.Join(",", c.Items)).Should().Equal("1", "2");
        sends.Answer(1);
        await sends.UntilCallsAsync(3);
        sends.Calls[2].Items.Should().Equal(3, 4);
        sends.Answer(0);
        sends.Answer(2);
        (await Task.WhenAll(calls)).Should().Equal(10, 20, 30, 40);
    }

    [Fact]
    public async Task A_failed_call_fails_each_of_its_items_and_the_next_call_still_goes()
    {
        var sends = new HeldSends();
        var coalescer = new CallCoalescer<string, int, int>(sends.SendAsync, maxOutstanding: 1);
        var first = coalescer.CallAsync("a", 1);
        var second = coalescer.CallAsync("a", 2);

        sends.Calls[0].Answer.SetException(new InvalidOperationException("silo gone"));

        await FluentActions.Awaiting(() => first).Should().ThrowAsync<InvalidOperationException>().WithMessage("silo gone");
        await sends.UntilCallsAsync(2);
        sends.Answer(1);
        (await second).Should().Be(20);
    }
}
