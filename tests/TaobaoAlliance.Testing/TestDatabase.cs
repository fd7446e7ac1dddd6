using Npgsql;

namespace TaobaoAlliance.Testing;

/// <summary>
/// A database of its own for one test class, cloned from the template that ./build.sh test migrated
/// once. Dropped when the class is done.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly string Server = Environment.GetEnvironmentVariable("ALLIANCE_TEST_SERVER")
        ?? throw new InvalidOperationException("ALLIANCE_TEST_SERVER is not set: run the tests with ./build.sh test.");

    private static readonly string Template = Environment.GetEnvironmentVariable("ALLIANCE_TEST_TEMPLATE") ?? "alliance_template";

    public string Name { get; }
    public string ConnectionString { get; }

    private TestDatabase(string name)
    {
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(Server) { Database = name, Pooling = true, MaxPoolSize = 60 }.ConnectionString;
    }

    /// <summary>A copy of the migrated template (or, with <paramref name="empty"/>, a database with no tables).</summary>
    public static async Task<TestDatabase> CreateAsync(bool empty = false)
    {
        var database = new TestDatabase("t_" + Guid.NewGuid().ToString("N")[..16]);
        var template = empty ? "template0" : Template;
        // CREATE DATABASE ... TEMPLATE fails while another session is connected to the template, which can
        // happen for an instant when classes start together: retry a few times.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteOnServerAsync($"CREATE DATABASE \"{database.Name}\" TEMPLATE \"{template}\"");
                return database;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 20)
            {
                await Task.Delay(100 * attempt);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private static async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
