namespace BotSociety.Relay.Connections;

/// <summary>
/// One hub's connections, groups and users. Membership changes and the copies taken for a send happen under one
/// lock; the sends themselves happen outside it, so a slow connection never holds up the hub.
/// </summary>
internal sealed class Hub(string name, Action onConnectionRemoved)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, ClientConnection> connections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<ClientConnection>> groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<ClientConnection>> users = new(StringComparer.Ordinal);

    // Added through REST: a user's groups apply to its later connections too, so a reconnecting user keeps them.
    private readonly Dictionary<string, HashSet<string>> userGroups = new(StringComparer.Ordinal);

    public string Name => name;

    /// <summary>Adds a new connection and joins it to its token's groups and its user's groups.</summary>
    public void Add(ClientConnection connection, IEnumerable<string> initialGroups)
    {
        lock (gate)
        {
            connections.Add(connection.Id, connection);
            if (connection.UserId is { } userId)
            {
                Bucket(users, userId).Add(connection);
                if (userGroups.TryGetValue(userId, out var groupsOfUser))
                {
                    initialGroups = initialGroups.Concat(groupsOfUser);
                }
            }

            foreach (var group in initialGroups.Where(group => !string.IsNullOrWhiteSpace(group)))
            {
                JoinLocked(connection, group);
            }
        }
    }

    public void Remove(ClientConnection connection)
    {
        lock (gate)
        {
            if (!connections.Remove(connection.Id))
            {
                return;
            }

            foreach (var group in connection.Groups)
            {
                Unbucket(groups, group, connection);
            }

            connection.Groups.Clear();
            if (connection.UserId is { } userId)
            {
                Unbucket(users, userId, connection);
            }
        }

        onConnectionRemoved();
    }

    public ClientConnection? Find(string connectionId)
    {
        lock (gate)
        {
            return connections.GetValueOrDefault(connectionId);
        }
    }

    /// <summary>A copy of the hub's connections that match <paramref name="filter"/>, read under the lock since filters look at groups.</summary>
    public List<ClientConnection> All(Func<ClientConnection, bool>? filter = null)
    {
        lock (gate)
        {
            return [.. connections.Values.Where(filter ?? (_ => true))];
        }
    }

    public List<ClientConnection> InGroup(string group, Func<ClientConnection, bool>? filter = null)
    {
        lock (gate)
        {
            return groups.TryGetValue(group, out var members) ? [.. members.Where(filter ?? (_ => true))] : [];
        }
    }

    public List<ClientConnection> OfUser(string userId, Func<ClientConnection, bool>? filter = null)
    {
        lock (gate)
        {
            return users.TryGetValue(userId, out var members) ? [.. members.Where(filter ?? (_ => true))] : [];
        }
    }

    public bool GroupExists(string group)
    {
        lock (gate)
        {
            return groups.ContainsKey(group);
        }
    }

    public bool UserExists(string userId)
    {
        lock (gate)
        {
            return users.ContainsKey(userId);
        }
    }

    public bool IsInGroup(ClientConnection connection, string group)
    {
        lock (gate)
        {
            return connection.Groups.Contains(group);
        }
    }

    public void Join(ClientConnection connection, string group)
    {
        lock (gate)
        {
            if (connections.ContainsKey(connection.Id))
            {
                JoinLocked(connection, group);
            }
        }
    }

    public void Leave(ClientConnection connection, string group)
    {
        lock (gate)
        {
            if (connection.Groups.Remove(group))
            {
                Unbucket(groups, group, connection);
            }
        }
    }

    public void LeaveAll(ClientConnection connection)
    {
        lock (gate)
        {
            foreach (var group in connection.Groups)
            {
                Unbucket(groups, group, connection);
            }

            connection.Groups.Clear();
        }
    }

    public void AddUserToGroup(string userId, string group)
    {
        lock (gate)
        {
            Bucket(userGroups, userId).Add(group);
            foreach (var connection in users.GetValueOrDefault(userId) ?? [])
            {
                JoinLocked(connection, group);
            }
        }
    }

    public void RemoveUserFromGroup(string userId, string group)
    {
        lock (gate)
        {
            if (userGroups.TryGetValue(userId, out var groupsOfUser) && groupsOfUser.Remove(group) && groupsOfUser.Count == 0)
            {
                userGroups.Remove(userId);
            }

            foreach (var connection in users.GetValueOrDefault(userId) ?? [])
            {
                if (connection.Groups.Remove(group))
                {
                    Unbucket(groups, group, connection);
                }
            }
        }
    }

    public void RemoveUserFromAllGroups(string userId)
    {
        lock (gate)
        {
            userGroups.Remove(userId);
            foreach (var connection in users.GetValueOrDefault(userId) ?? [])
            {
                foreach (var group in connection.Groups)
                {
                    Unbucket(groups, group, connection);
                }

                connection.Groups.Clear();
            }
        }
    }

    private void JoinLocked(ClientConnection connection, string group)
    {
        if (connection.Groups.Add(group))
        {
            Bucket(groups, group).Add(connection);
        }
    }

    private static HashSet<TItem> Bucket<TItem>(Dictionary<string, HashSet<TItem>> map, string key)
    {
        if (!map.TryGetValue(key, out var bucket))
        {
            bucket = [];
            map[key] = bucket;
        }

        return bucket;
    }

    private static void Unbucket(Dictionary<string, HashSet<ClientConnection>> map, string key, ClientConnection connection)
    {
        if (map.TryGetValue(key, out var bucket) && bucket.Remove(connection) && bucket.Count == 0)
        {
            map.Remove(key);
        }
    }
}
